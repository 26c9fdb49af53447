/**
 * A position in the contact list (the `after` and `before` URL parameters):
 * the sort it belongs to, the row's sort key and its id, as base64url JSON.
 * A deep page is then read from the sort's index starting at that key (a
 * range scan) instead of skipping every earlier row (OFFSET). Plain string
 * work on both ends (no Buffer): the list's links are built on the server
 * and the module is shared with client components.
 */
import { isStorableText } from "./text";

export type TContactCursorSort = "created" | "email" | "name" | "score";
/** created: the epoch milliseconds of createdAt; email and name: the text the list sorts by; score: leadScore. */
export type TContactCursor = { sort: TContactCursorSort; key: number | string; id: string };

const MAX_CURSOR_LENGTH = 4000;
const MAX_KEY_TEXT = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Years 1 to 9999: what toISOString() writes as YYYY and a PostgreSQL timestamp reads back.
const MIN_TIME = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_TIME = Date.parse("9999-12-31T23:59:59.999Z");
const INT4 = 2 ** 31;

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  // "=" only pads the end of base64.
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function fromBase64Url(text: string): string | null {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}

export function encodeContactCursor(cursor: TContactCursor): string {
  return toBase64Url(JSON.stringify([cursor.sort, cursor.key, cursor.id]));
}

function validKey(sort: TContactCursorSort, key: unknown): key is number | string {
  switch (sort) {
    case "created":
      return typeof key === "number" && Number.isInteger(key) && key >= MIN_TIME && key <= MAX_TIME;
    case "score":
      return typeof key === "number" && Number.isInteger(key) && key >= -INT4 && key < INT4;
    case "email":
    case "name":
      return typeof key === "string" && key.length > 0 && key.length <= MAX_KEY_TEXT && isStorableText(key);
  }
}

/** The position a cursor names, or null when it is not one (malformed, or a key its sort cannot hold). */
export function decodeContactCursor(text: string): TContactCursor | null {
  const json = fromBase64Url(text);
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [sort, key, id] = value as unknown[];
  if (sort !== "created" && sort !== "email" && sort !== "name" && sort !== "score") return null;
  if (typeof id !== "string" || !UUID.test(id) || !validKey(sort, key)) return null;
  return { sort, key, id };
}
