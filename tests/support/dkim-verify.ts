/**
 * A DKIM verifier written from RFC 6376 for the tests, independent of the
 * signer (nodemailer): parses the DKIM-Signature, recomputes the body hash
 * and the header hash under the signature's canonicalization, and checks
 * the RSA or Ed25519 signature against the public key the test configured
 * (no DNS: the test is the key's publisher).
 */
import { createHash, verify, type KeyObject } from "node:crypto";

export type DkimVerdict = { ok: true; domain: string; selector: string; signedHeaders: string[] } | { ok: false; reason: string };

type Field = { name: string; raw: string };

export function verifyDkim(message: string | Buffer, publicKey: KeyObject): DkimVerdict {
  const text = Buffer.isBuffer(message) ? message.toString("latin1") : message;
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) return { ok: false, reason: "no header/body separator (CRLF CRLF)" };
  const fields = parseFields(text.slice(0, split + 2));
  const body = text.slice(split + 4);

  const signature = fields.find((f) => f.name.toLowerCase() === "dkim-signature");
  if (!signature) return { ok: false, reason: "no DKIM-Signature header" };
  const tags = parseTags(signature.raw.slice(signature.raw.indexOf(":") + 1));
  if (tags.get("v") !== "1") return { ok: false, reason: `v=${tags.get("v")}` };
  const algorithm = tags.get("a");
  if (algorithm !== "rsa-sha256" && algorithm !== "ed25519-sha256") return { ok: false, reason: `unsupported a=${algorithm}` };
  const [headerCanon = "simple", bodyCanon = "simple"] = (tags.get("c") ?? "simple/simple").split("/");
  const domain = tags.get("d");
  const selector = tags.get("s");
  const signed = tags.get("h")?.split(":").map((h) => h.trim());
  const bh = tags.get("bh")?.replace(/\s+/g, "");
  const b = tags.get("b")?.replace(/\s+/g, "");
  if (!domain || !selector || !signed || !bh || !b) return { ok: false, reason: "a required tag (d, s, h, bh, b) is missing" };
  if (!signed.some((h) => h.toLowerCase() === "from")) return { ok: false, reason: "From is not signed (RFC 6376 5.4)" };

  let canonicalBody = bodyCanon === "relaxed" ? relaxedBody(body) : simpleBody(body);
  if (tags.has("l")) canonicalBody = canonicalBody.slice(0, Number(tags.get("l")));
  const bodyHash = createHash("sha256").update(Buffer.from(canonicalBody, "latin1")).digest("base64");
  if (bodyHash !== bh) return { ok: false, reason: "body hash mismatch" };

  // Each name in h= takes that header's instances from the bottom up (RFC 6376 5.4.2).
  const used = new Set<Field>();
  let data = "";
  for (const name of signed) {
    const instance = [...fields].reverse().find((f) => f.name.toLowerCase() === name.toLowerCase() && !used.has(f) && f !== signature);
    if (!instance) continue;
    used.add(instance);
    data += canonicalHeader(instance, headerCanon) + "\r\n";
  }
  const unsigned = { name: signature.name, raw: signature.raw.replace(/(^|;)(\s*b\s*=)[^;]*/, "$1$2") };
  data += canonicalHeader(unsigned, headerCanon);

  const signatureBytes = Buffer.from(b, "base64");
  const valid =
    algorithm === "rsa-sha256"
      ? verify("sha256", Buffer.from(data, "latin1"), publicKey, signatureBytes)
      : verify(null, createHash("sha256").update(Buffer.from(data, "latin1")).digest(), publicKey, signatureBytes);
  return valid ? { ok: true, domain, selector, signedHeaders: signed } : { ok: false, reason: "signature does not verify" };
}

/** Header fields with their continuation lines, as they appear (no final CRLF). */
function parseFields(block: string): Field[] {
  const fields: Field[] = [];
  for (const line of block.split("\r\n")) {
    if (line === "") continue;
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1].raw += "\r\n" + line;
    else fields.push({ name: line.slice(0, line.indexOf(":")).trim(), raw: line });
  }
  return fields;
}

function parseTags(value: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    tags.set(part.slice(0, eq).trim(), part.slice(eq + 1).replace(/\r\n/g, "").trim());
  }
  return tags;
}

function canonicalHeader(field: Field, canon: string): string {
  if (canon !== "relaxed") return field.raw;
  const colon = field.raw.indexOf(":");
  const value = field.raw
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, "")
    .replace(/[ \t]+/g, " ")
    .trim();
  return `${field.name.toLowerCase().trim()}:${value}`;
}

function relaxedBody(body: string): string {
  const lines = body.split("\r\n").map((line) => line.replace(/[ \t]+/g, " ").replace(/ $/, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines.length ? lines.join("\r\n") + "\r\n" : "";
}

function simpleBody(body: string): string {
  const lines = body.split("\r\n");
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines.join("\r\n") + "\r\n";
}
