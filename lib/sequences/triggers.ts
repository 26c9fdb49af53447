/**
 * Entry triggers: the events that enroll a contact in a sequence.
 *
 *  - tag_added        a tag is added to the contact (UI, bulk action, API,
 *                     import); parameter: the tag.
 *  - score_threshold  the contact's lead score rises from below the threshold
 *                     to at or above it; parameter: the threshold. An update
 *                     that stays above does not fire again.
 *  - signup           the contact signs up through the public signup form or
 *                     API; parameter: optionally the source/form name (none
 *                     means any signup).
 *
 * Every trigger enrolls through the one deduplicated `enrollContact`; none
 * writes enrollments directly. Contacts can also be enrolled manually (the
 * admin UI and the JSON API), recorded with source "manual" or "api".
 */
import { z } from "zod";
import { TriggerType } from "../generated/prisma/enums";

export { TriggerType };
export type TTriggerType = (typeof TriggerType)[keyof typeof TriggerType];

export const TRIGGER_TYPES = Object.values(TriggerType) as TTriggerType[];

export const TRIGGER_DEFINITIONS: Record<TTriggerType, { label: string; description: string }> = {
  tag_added: { label: "Tag added", description: "Enroll when this tag is added to a contact." },
  score_threshold: {
    label: "Lead score reaches",
    description: "Enroll when a contact's lead score rises to at least this value.",
  },
  signup: { label: "Contact signs up", description: "Enroll when a contact signs up (optionally from one form)." },
};

/** A trigger's parameters, validated the same way by forms, actions and the API. */
export const ZTriggerInput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("tag_added"), tagId: z.string().min(1, "Pick a tag") }),
  z.object({
    type: z.literal("score_threshold"),
    scoreThreshold: z.number().int("Whole numbers only").min(1, "At least 1").max(1_000_000, "At most 1,000,000"),
  }),
  z.object({
    type: z.literal("signup"),
    signupSource: z.string().trim().max(100, "At most 100 characters").optional().nullable(),
  }),
]);
export type TTriggerInput = z.infer<typeof ZTriggerInput>;

/** Source recorded on an enrollment: a trigger type, or a manual path. */
export type EnrollmentSource = `trigger:${TTriggerType}` | "manual" | "api" | "import" | "seed";

export const ZEnrollmentSource = z.union([
  z.enum(["manual", "api", "import", "seed"]),
  z.templateLiteral(["trigger:", z.enum(TRIGGER_TYPES as [TTriggerType, ...TTriggerType[]])]),
]);

/** Did a score change cross the threshold upward? (Staying above does not.) */
export function crossesScoreThreshold(previous: number, next: number, threshold: number): boolean {
  return previous < threshold && next >= threshold;
}

/** Does a signup from `source` match a trigger's optional source filter? */
export function signupMatches(triggerSource: string | null | undefined, source: string | null | undefined): boolean {
  if (!triggerSource) return true;
  return (source ?? "").trim().toLowerCase() === triggerSource.trim().toLowerCase();
}
