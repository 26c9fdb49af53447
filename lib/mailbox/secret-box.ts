/**
 * Encrypts the mailbox password or OAuth2 token at rest: AES-256-GCM with a
 * random 96-bit nonce, bound to what it belongs to (associated data), so a
 * ciphertext copied into another row does not decrypt.
 *
 * The key: STEPWISE_ENCRYPTION_KEY when set (any string of 32+ characters;
 * HKDF stretches it), otherwise derived with HKDF-SHA256 from
 * STEPWISE_SIGNING_SECRET. Every deployment already has the signing secret
 * (`npm start` creates and keeps one; production refuses to sign without
 * it), so connecting a mailbox needs no new set-up, and HKDF's distinct
 * "info" makes the derived key independent of the HMAC key it came from.
 * The price: rotating the signing secret makes stored mailbox secrets
 * unreadable (the mailbox then asks for its password again). A deployment
 * that rotates the signing secret sets STEPWISE_ENCRYPTION_KEY.
 * In production, without either, nothing is encrypted or decrypted.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "stepwise mailbox secrets v1";
const DEV_FALLBACK = "stepwise-development-only-secret-not-for-production";

export class SecretKeyMissingError extends Error {
  constructor() {
    super("STEPWISE_ENCRYPTION_KEY (or STEPWISE_SIGNING_SECRET) must be set, at least 32 characters, to store mailbox credentials.");
    this.name = "SecretKeyMissingError";
  }
}

function keyMaterial(): string {
  const explicit = process.env.STEPWISE_ENCRYPTION_KEY;
  if (explicit) {
    if (explicit.length < 32) throw new SecretKeyMissingError();
    return `encryption-key:${explicit}`;
  }
  const signing = process.env.STEPWISE_SIGNING_SECRET;
  if (signing && signing.length >= 16) return `signing-secret:${signing}`;
  if (process.env.NODE_ENV === "production") throw new SecretKeyMissingError();
  return DEV_FALLBACK;
}

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", keyMaterial(), "stepwise", INFO, 32));
}

/** "v1.<nonce>.<ciphertext>.<tag>", base64url. `context` must match on decrypt. */
export function encryptSecret(plaintext: string, context: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, nonce, body, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The plaintext, or null when the value was not made with this key and context. */
export function decryptSecret(sealed: string, context: string): string | null {
  const [version, nonce, body, tag, extra] = sealed.split(".");
  if (version !== VERSION || !nonce || body === undefined || !tag || extra !== undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(nonce, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    if (error instanceof SecretKeyMissingError) throw error;
    return null;
  }
}
