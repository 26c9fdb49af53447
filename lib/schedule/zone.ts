/** Whose clock a contact's sends follow: their own IANA zone, or the sequence's. */
import { Temporal } from "temporal-polyfill";

/**
 * Contacts are stored with "UTC" when no zone was given (the column's default),
 * so that exact value counts as unset. Someone who really lives on UTC can be
 * given "Etc/UTC", which is honoured.
 */
const STORED_DEFAULT = "UTC";

export type ZoneResolution =
  | { zone: string; fallback: false }
  | { zone: string; fallback: true; reason: "missing" | "invalid"; given: string | null };

/** The canonical IANA id ("europe/berlin" -> "Europe/Berlin"), or null when unknown. */
export function canonicalZone(zone: string): string | null {
  const trimmed = zone.trim();
  if (trimmed === "" || trimmed.length > 64) return null;
  try {
    return new Temporal.ZonedDateTime(0n, trimmed).timeZoneId;
  } catch {
    return null;
  }
}

/**
 * The zone to plan a contact's sends in: theirs when valid, else the sequence's
 * (and UTC if even that is unusable). `fallback` tells the timeline to record it.
 */
export function resolveZone(contactZone: string | null | undefined, sequenceZone: string): ZoneResolution {
  const fallbackZone = canonicalZone(sequenceZone) ?? "UTC";
  if (contactZone == null || contactZone.trim() === "" || contactZone === STORED_DEFAULT) {
    return { zone: fallbackZone, fallback: true, reason: "missing", given: contactZone ?? null };
  }
  const own = canonicalZone(contactZone);
  if (own === null) return { zone: fallbackZone, fallback: true, reason: "invalid", given: contactZone };
  return { zone: own, fallback: false };
}
