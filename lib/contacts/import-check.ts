/**
 * An import row checked with ZContactInput, the schema upsertContact uses,
 * without paying zod's record machinery for the attributes of every row:
 * the attribute columns of a file are the same on every row, so each key
 * is checked once, and a row whose values are plain strings within the
 * limits is accepted as the schema would accept it (the schema returns such
 * a record unchanged). Anything else goes through the whole schema, so
 * every error message is the schema's own.
 */
import type { z } from "zod";
import type { FieldErrors } from "../errors";
import { ATTRIBUTES_MAX_KEYS, ZContactInput, type TContactInput, type TContactParsed } from "../validations/contact";
import { ZAttributeKey } from "../validations/contact-profile";
import { fieldErrorsOf } from "../validations/parse";

/** ZAttributeValue's limit for a string. */
const ATTRIBUTE_VALUE_MAX = 2000;

const ZContactWithoutAttributes = ZContactInput.omit({ attributes: true });

export type RowCheck = { ok: true; contact: TContactParsed } | { ok: false; fieldErrors: FieldErrors };

export function importRowChecker(): (input: TContactInput) => RowCheck {
  const keyIsPlain = new Map<string, boolean>();
  const plainKey = (key: string) => {
    let plain = keyIsPlain.get(key);
    if (plain === undefined) {
      const parsed = ZAttributeKey.safeParse(key);
      plain = parsed.success && parsed.data === key;
      keyIsPlain.set(key, plain);
    }
    return plain;
  };
  const plainAttributes = (attributes: unknown): attributes is Record<string, string> => {
    if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) return false;
    const entries = Object.entries(attributes);
    if (entries.length > ATTRIBUTES_MAX_KEYS) return false;
    return entries.every(([key, value]) => plainKey(key) && typeof value === "string" && value.length <= ATTRIBUTE_VALUE_MAX);
  };

  return (input) => {
    const { attributes, ...rest } = input;
    if (attributes === undefined || plainAttributes(attributes)) {
      const parsed = ZContactWithoutAttributes.safeParse(rest);
      if (parsed.success) return { ok: true, contact: attributes === undefined ? parsed.data : { ...parsed.data, attributes: { ...attributes } } };
    }
    return full(ZContactInput.safeParse(input));
  };
}

function full(result: z.ZodSafeParseResult<TContactParsed>): RowCheck {
  return result.success ? { ok: true, contact: result.data } : { ok: false, fieldErrors: fieldErrorsOf(result.error) };
}
