import { z } from "zod";
import { ZId } from "./enrollment";

/** Is `value` an IANA time zone this runtime knows ("Europe/Paris", "UTC")? */
export function isValidTimeZone(value: string): boolean {
  const known = checkedTimeZones.get(value);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    valid = true;
  } catch {
    valid = false;
  }
  if (checkedTimeZones.size < CHECKED_TIME_ZONES_MAX) checkedTimeZones.set(value, valid);
  return valid;
}

/**
 * Answers already computed: building an Intl.DateTimeFormat costs close to
 * a millisecond, which a 100,000-row import pays per row otherwise. The
 * zones Intl knows do not change while the process runs; bounded, since the
 * names come from users.
 */
const checkedTimeZones = new Map<string, boolean>();
const CHECKED_TIME_ZONES_MAX = 2000;

export const ZTimeZone = z.string().trim().min(1, "Enter a time zone").max(64).refine(isValidTimeZone, "Not a known time zone (e.g. Europe/Paris or UTC)");

/** Built-in merge fields win over attributes of the same name, so such keys would never show. */
const RESERVED_KEYS = new Set(["email", "firstName", "lastName"]);

const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Attribute keys double as merge tags ({{company}}), so they follow the merge-tag syntax. */
export const ZAttributeKey = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z_][\w.]*$/, "Letters, digits, _ and . only, starting with a letter or _")
  .refine((key) => !RESERVED_KEYS.has(key), "That name is a built-in field")
  // Names that reach an object's prototype: as a key of a plain object they are dropped or change its prototype.
  .refine((key) => !PROTOTYPE_KEYS.has(key), "That name is reserved");

export const ZAttributeValue = z.union([z.string().max(2000, "At most 2,000 characters"), z.number().finite(), z.boolean()]);

/**
 * A record of attributes whose keys are checked as sent: zod's record (like
 * any plain-object copy) silently drops an own "__proto__" key, so it is
 * refused here, before the copy, as a field error on that key.
 */
export function attributeRecord<V extends z.ZodType>(value: V) {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      if (!input || typeof input !== "object") return;
      for (const key of PROTOTYPE_KEYS) if (Object.hasOwn(input, key)) ctx.addIssue({ code: "custom", path: [key], message: "That name is reserved" });
    })
    .pipe(z.record(ZAttributeKey, value));
}

export const ZContactAttributes = attributeRecord(ZAttributeValue)
  .refine((attrs) => Object.keys(attrs).length <= 100, "At most 100 attributes");

const ZName = z
  .string()
  .trim()
  .max(100, "At most 100 characters")
  .nullish()
  .transform((v) => v || null);

export const ZContactProfileInput = z.object({
  contactId: ZId,
  firstName: ZName,
  lastName: ZName,
  timezone: ZTimeZone,
  attributes: ZContactAttributes,
});
export type TContactProfileInput = z.input<typeof ZContactProfileInput>;

/**
 * The profile form: attributes as key/value rows, so that an error points at
 * its row ("attributes.2.key"). Values are edited as text.
 */
export const ZContactProfileForm = ZContactProfileInput.extend({
  attributes: z
    .array(z.object({ key: ZAttributeKey, value: z.string().max(2000, "At most 2,000 characters") }))
    .max(100, "At most 100 attributes")
    .superRefine((rows, ctx) => {
      const seen = new Set<string>();
      rows.forEach((row, index) => {
        if (seen.has(row.key)) ctx.addIssue({ code: "custom", message: "This name is used twice", path: [index, "key"] });
        seen.add(row.key);
      });
    }),
});
export type TContactProfileForm = z.input<typeof ZContactProfileForm>;

export const ZContactIdInput = z.object({ contactId: ZId });

export const ZDeleteContactInput = z.object({
  contactId: ZId,
  /** Who deleted, kept in the exit events' detail (an email, "api"...). */
  deletedBy: z.string().trim().min(1).max(200),
});
export type TDeleteContactInput = z.infer<typeof ZDeleteContactInput>;

export const ZMarkRepliedInput = z.object({ contactId: ZId, sequenceId: ZId });
