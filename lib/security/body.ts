/**
 * The one body reader of every JSON and text route: the size is checked
 * from Content-Length and again while streaming (so nothing past the cap is
 * ever buffered), before anything is parsed or authenticated, and the bytes
 * must be valid UTF-8: a fatal decoder refuses what `request.text()` would
 * silently turn into U+FFFD.
 */

/** Caps per kind of route, in bytes. The CSV import has its own limit. */
export const BODY_LIMITS = {
  signup: 64 * 1024,
  webhook: 64 * 1024,
  api: 1024 * 1024,
} as const;

export type BodyText = { ok: true; text: string } | { ok: false; response: Response };
export type BodyJson = { ok: true; value: unknown; text: string } | { ok: false; response: Response };

const NO_STORE = { "Cache-Control": "no-store" };

function refuse(status: 400 | 413, code: string, message: string): { ok: false; response: Response } {
  return { ok: false, response: Response.json({ error: { code, message } }, { status, headers: NO_STORE }) };
}

const tooLarge = (limit: number) => refuse(413, "payload_too_large", `The request body is larger than ${Math.floor(limit / 1024)} KB.`);

/** The declared length; a 413 when it is over `limit`, a 400 when it is not a number. */
export function checkContentLength(headers: Headers, limit: number): { ok: true } | { ok: false; response: Response } {
  const declared = headers.get("content-length");
  if (declared === null) return { ok: true };
  if (!/^\d{1,15}$/.test(declared.trim())) return refuse(400, "bad_request", "Content-Length is not a number.");
  return Number(declared) > limit ? tooLarge(limit) : { ok: true };
}

/** The body as text: 413 past `limit` bytes, 400 when it is not UTF-8. */
export async function readBodyText(request: Request, limit: number): Promise<BodyText> {
  const declared = checkContentLength(request.headers, limit);
  if (!declared.ok) return declared;
  if (!request.body) return { ok: true, text: "" };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return refuse(400, "invalid_encoding", "The request body is not valid UTF-8.");
  }
}

/** The body parsed as JSON, with readBodyText's checks first. */
export async function readJsonBody(request: Request, limit: number): Promise<BodyJson> {
  const read = await readBodyText(request, limit);
  if (!read.ok) return read;
  try {
    return { ok: true, value: JSON.parse(read.text) as unknown, text: read.text };
  } catch {
    return refuse(400, "bad_request", "The request body must be JSON.");
  }
}
