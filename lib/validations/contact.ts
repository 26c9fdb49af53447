import { z } from "zod";
import { ZEmail } from "../contacts/email";
import { attributeRecord, ZTimeZone } from "./contact-profile";

export const TAG_NAME_MAX = 50;
/** Per request; a contact may hold more (the profile form allows 100). */
export const ATTRIBUTES_MAX_KEYS = 50;
export const CONTACT_ATTRIBUTES_MAX_KEYS = 100;
/** Lead scores stay within what a score_threshold trigger can express. */
export const LEAD_SCORE_MIN = -1_000_000;
export const LEAD_SCORE_MAX = 1_000_000;

/** IANA names ("UTC", "Europe/Paris"); the same rule as the profile form. */
export const ZTimezone = ZTimeZone;

const ZAttributeValue = z.union([z.string().max(2000, "At most 2,000 characters"), z.number().finite(), z.boolean()], {
  error: "Attribute values are strings, numbers or booleans",
});
const tooManyKeys = (record: object) => Object.keys(record).length <= ATTRIBUTES_MAX_KEYS;

/** Custom fields: a flat record of strings, numbers and booleans; keys follow the merge-tag syntax. */
export const ZAttributes = attributeRecord(ZAttributeValue)
  .refine(tooManyKeys, `At most ${ATTRIBUTES_MAX_KEYS} attributes`);
export type TAttributes = z.infer<typeof ZAttributes>;

/** A patch of attributes: null removes a key. */
export const ZAttributesPatch = attributeRecord(ZAttributeValue.nullable())
  .refine(tooManyKeys, `At most ${ATTRIBUTES_MAX_KEYS} attributes`);

export const ZTagName = z.string().trim().min(1, "Empty tag name").max(TAG_NAME_MAX, `Tag names have at most ${TAG_NAME_MAX} characters`);
export const ZTagNames = z.array(ZTagName).max(50, "At most 50 tags at once");

const ZName = z.string().trim().max(100, "At most 100 characters");

export const ZLeadScore = z
  .number({ error: "Enter a whole number" })
  .int("Whole numbers only")
  .min(LEAD_SCORE_MIN, `At least ${LEAD_SCORE_MIN}`)
  .max(LEAD_SCORE_MAX, `At most ${LEAD_SCORE_MAX}`);

/** Create-or-update a contact by email (API, import). */
export const ZContactInput = z.object({
  email: ZEmail,
  firstName: ZName.optional(),
  lastName: ZName.optional(),
  leadScore: ZLeadScore.optional(),
  timezone: ZTimezone.optional(),
  attributes: ZAttributes.optional(),
  tags: ZTagNames.optional(),
});
export type TContactInput = z.input<typeof ZContactInput>;
export type TContactParsed = z.infer<typeof ZContactInput>;

/** Editable details of an existing contact; unknown keys (email, status) are refused. */
export const ZContactPatch = z.strictObject({
  firstName: ZName.nullable().optional(),
  lastName: ZName.nullable().optional(),
  timezone: ZTimezone.optional(),
  attributes: ZAttributesPatch.optional(),
});
export type TContactPatch = z.infer<typeof ZContactPatch>;

export const ZTagsBody = z.object({ tags: ZTagNames.min(1, "Give at least one tag") });

/** Either an absolute score or a change to it, not both. */
export const ZScoreBody = z
  .object({
    score: ZLeadScore.optional(),
    delta: z.number({ error: "Enter a whole number" }).int("Whole numbers only").min(-2 * LEAD_SCORE_MAX).max(2 * LEAD_SCORE_MAX).optional(),
  })
  .refine((body) => (body.score === undefined) !== (body.delta === undefined), {
    message: "Give either score or delta",
    path: ["score"],
  });

export const ZSignupSource = z.string().trim().max(100, "At most 100 characters");

/** The public signup form and endpoint. */
export const ZSignupInput = z.object({
  email: ZEmail,
  firstName: ZName.optional(),
  lastName: ZName.optional(),
  source: ZSignupSource.optional(),
});
export type TSignupInput = z.input<typeof ZSignupInput>;
