import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "sw_live_";
/** sw_live_ and 32 base64url characters (24 random bytes). */
export const API_KEY_PATTERN = /^sw_live_[A-Za-z0-9_-]{32}$/;
/** How much of the key the UI shows to tell keys apart: the marker and 4 random characters. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString("base64url");
}

/** SHA-256 suffices: keys are 192 random bits, not guessable passwords. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}
