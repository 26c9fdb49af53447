import { createPrivateKey } from "node:crypto";
import fs from "node:fs";
import DKIM from "nodemailer/lib/dkim";

export type DkimKey = { domainName: string; keySelector: string; privateKey: string };

/**
 * The DKIM key outgoing mail is signed with, from the environment:
 * DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (PEM; "\n" escapes are
 * accepted, as a one-line variable) or DKIM_PRIVATE_KEY_FILE. (SMTP_URL
 * cannot carry them: nodemailer's URL parser drops nested options but tls.)
 * None set: unsigned. Some but not all: an error naming what is missing,
 * rather than mail that silently goes out unsigned.
 */
export function dkimKey(env: Record<string, string | undefined>): DkimKey | null {
  const fileKey = env.DKIM_PRIVATE_KEY_FILE ? fs.readFileSync(env.DKIM_PRIVATE_KEY_FILE, "utf8") : undefined;
  const settings = {
    domainName: env.DKIM_DOMAIN,
    keySelector: env.DKIM_SELECTOR,
    privateKey: (env.DKIM_PRIVATE_KEY ?? fileKey)?.replace(/\\n/g, "\n"),
  };
  const names = { domainName: "DKIM_DOMAIN", keySelector: "DKIM_SELECTOR", privateKey: "DKIM_PRIVATE_KEY" } as const;
  const missing = (Object.keys(names) as (keyof DkimKey)[]).filter((key) => !settings[key]);
  if (missing.length === 3) return null;
  if (missing.length) throw new Error(`DKIM signing is half configured: ${missing.map((key) => names[key]).join(", ")} not set`);
  try {
    createPrivateKey(settings.privateKey!);
  } catch {
    throw new Error("DKIM_PRIVATE_KEY is not a PEM private key");
  }
  return settings as DkimKey;
}

/** The message with a DKIM-Signature header (relaxed/relaxed, rsa-sha256). */
export async function dkimSign(raw: Buffer, key: DkimKey): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of new DKIM(key).sign(raw)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
