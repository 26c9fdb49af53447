/**
 * Sequence builder input, shared by the builder's forms (safeParse before
 * calling an action), the server actions and the domain functions.
 */
import { z } from "zod";
import { DelayUnit, ReentryPolicy } from "../generated/prisma/enums";
import { ZTriggerInput } from "../sequences/triggers";
import { TAG_NAME_MAX } from "./contact";
import { ZId } from "./enrollment";
import { ZTimeZone } from "./contact-profile";
import { ZLocalDateTime } from "./schedule";
import { ZStepBody } from "./step-body";

export type TDelayUnit = (typeof DelayUnit)[keyof typeof DelayUnit];
export type TReentryPolicyValue = (typeof ReentryPolicy)[keyof typeof ReentryPolicy];

export const DELAY_UNITS = Object.values(DelayUnit) as TDelayUnit[];

/** The longest delay allowed per unit: a year, whichever unit says it. */
export const MAX_DELAY: Record<TDelayUnit, number> = { minutes: 525_600, hours: 8_760, days: 365, business_days: 260 };

/** Unit names for messages: "business days", not "business_days". */
export const DELAY_UNIT_LABEL: Record<TDelayUnit, string> = { minutes: "minutes", hours: "hours", days: "days", business_days: "business days" };

export const ZSequenceSettings = z.object({
  name: z.string().trim().min(1, "Give the sequence a name").max(120, "At most 120 characters"),
  description: z.string().trim().max(500, "At most 500 characters").default(""),
  exitOnReply: z.boolean().default(true),
  reentryPolicy: z.enum(Object.values(ReentryPolicy) as [TReentryPolicyValue, ...TReentryPolicyValue[]]).default("never"),
  /** Days an out-of-office reply holds the next step; null: no hold (an auto-reply never exits either way). */
  autoReplyPauseDays: z.number("Enter a number of days").int("Whole days").min(1, "At least 1 day").max(90, "At most 90 days").nullable().default(null),
  /** Who its mail is from (Settings → Senders); null: the installation's default; absent: unchanged. */
  senderId: ZId.nullable().optional(),
  /** On create only: the sequence's fallback zone (the form sends the browser's). */
  timezone: ZTimeZone.optional(),
});
export type TSequenceSettings = z.infer<typeof ZSequenceSettings>;

export const ZUpdateSequenceSettings = ZSequenceSettings.extend({ sequenceId: ZId });
export type TUpdateSequenceSettings = z.infer<typeof ZUpdateSequenceSettings>;

/**
 * The delay as a number, or as the text of the form's field: digits only, so
 * "1e3", "1.5", "0x10" or "+2" are refused rather than read as numbers.
 */
const ZDelayAmount = z
  .union([z.number(), z.string()], { error: "Enter a number" })
  .transform((value, ctx) => {
    if (typeof value === "number") return value;
    const text = value.trim();
    if (!/^\d+$/.test(text)) {
      ctx.addIssue({ code: "custom", message: text === "" ? "Enter a number" : "Digits only: a whole number such as 3" });
      return z.NEVER;
    }
    return Number(text);
  })
  .pipe(z.number().int("Whole numbers only").min(0, "The delay cannot be negative"));

const stepFields = {
  subject: z.string().trim().min(1, "Write a subject").max(200, "At most 200 characters"),
  /** The editor's document (or plain text), sanitized: see step-body.ts. */
  body: ZStepBody,
  delayAmount: ZDelayAmount,
  delayUnit: z.enum(DELAY_UNITS as [TDelayUnit, ...TDelayUnit[]], { message: "Pick minutes, hours, days or business days" }),
  /** Set: wait until this local date-time (each contact's zone) instead of the delay. */
  waitUntil: ZLocalDateTime.nullable().optional(),
};

/** The per-unit bound, reported on the delay field: "between 0 and 365 days". */
function checkDelayRange(step: { delayAmount: number; delayUnit: TDelayUnit }, ctx: z.RefinementCtx) {
  const max = MAX_DELAY[step.delayUnit];
  if (step.delayAmount > max) {
    ctx.addIssue({ code: "custom", path: ["delayAmount"], message: `Delay must be between 0 and ${max.toLocaleString("en")} ${DELAY_UNIT_LABEL[step.delayUnit]}` });
  }
}

export const ZStepInput = z.object(stepFields).superRefine(checkDelayRange);
export type TStepInput = z.infer<typeof ZStepInput>;

export const ZAddStep = z.object({ sequenceId: ZId, ...stepFields }).superRefine(checkDelayRange);
export type TAddStep = z.infer<typeof ZAddStep>;

export const ZUpdateStep = z.object({ sequenceId: ZId, stepId: ZId, ...stepFields }).superRefine(checkDelayRange);
export type TUpdateStep = z.infer<typeof ZUpdateStep>;

export const ZStepRef = z.object({ sequenceId: ZId, stepId: ZId });
export type TStepRef = z.infer<typeof ZStepRef>;

export const ZReorderSteps = z.object({
  sequenceId: ZId,
  /** Every live step of the sequence, in the new order. */
  stepIds: z
    .array(ZId)
    .min(1, "Nothing to reorder")
    .max(100, "Too many steps")
    .refine((ids) => new Set(ids).size === ids.length, "A step appears twice"),
});
export type TReorderSteps = z.infer<typeof ZReorderSteps>;

export const ZSequenceRef = z.object({ sequenceId: ZId });
export type TSequenceRef = z.infer<typeof ZSequenceRef>;

export const ZActivateSequence = z.object({
  sequenceId: ZId,
  /** Confirms that a sequence without triggers is meant for manual enrollment. */
  manualOnly: z.boolean().default(false),
  /** Confirms sending although some contacts lack a value for a merge tag without a fallback. */
  acknowledgeMissingValues: z.boolean().default(false),
});
export type TActivateSequence = z.infer<typeof ZActivateSequence>;

/** The contacts' tag-name rule, worded for the trigger picker. */
export const ZTagName = z.string().trim().min(1, "Pick or type a tag").max(TAG_NAME_MAX, `Tag names have at most ${TAG_NAME_MAX} characters`);

const [, ZScoreTrigger, ZSignupTrigger] = ZTriggerInput.options;

/**
 * A trigger as the builder adds it: a tag_added trigger names its tag by id
 * (picked) or by name (typed; created when new). The domain resolves the tag
 * and stores a trigger that satisfies ZTriggerInput.
 */
export const ZNewTrigger = z.discriminatedUnion("type", [
  z
    .object({ type: z.literal("tag_added"), tagId: ZId.optional(), tagName: ZTagName.optional() })
    // Only for neither given: a given but empty name already fails ZTagName, with the same message.
    .refine((t) => t.tagId !== undefined || t.tagName !== undefined, { message: "Pick or type a tag", path: ["tagName"] }),
  ZScoreTrigger,
  ZSignupTrigger,
]);
export type TNewTrigger = z.infer<typeof ZNewTrigger>;

export const ZAddTrigger = z.object({ sequenceId: ZId, trigger: ZNewTrigger });
export type TAddTrigger = z.infer<typeof ZAddTrigger>;

export const ZTriggerRef = z.object({ sequenceId: ZId, triggerId: ZId });
export type TTriggerRef = z.infer<typeof ZTriggerRef>;
