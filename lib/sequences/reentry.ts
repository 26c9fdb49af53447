/**
 * Re-entry policy: may a contact who has already been through a sequence be
 * enrolled again? (A contact with a live place is never enrolled twice; that
 * is the partial unique index's job, not this policy's.)
 *
 *  - never             one pass per contact, ever
 *  - after_exit        again after any exit (completed, replied, removed...)
 *  - after_completion  again only if the last pass completed
 */
import { ReentryPolicy } from "../generated/prisma/enums";
import type { TExitReason } from "./exit-reasons";

export { ReentryPolicy };
export type TReentryPolicy = (typeof ReentryPolicy)[keyof typeof ReentryPolicy];

export const REENTRY_POLICY_LABELS: Record<TReentryPolicy, string> = {
  never: "Never re-enroll",
  after_exit: "Re-enroll after any exit",
  after_completion: "Re-enroll only after completing",
};

export type ReentryDecision = { allowed: true } | { allowed: false; reason: "reentry_not_allowed" };

/**
 * @param lastExit the exit reason of the contact's most recent ended
 *   enrollment in the sequence, or null if they were never enrolled.
 */
export function reentryDecision(policy: TReentryPolicy, lastExit: TExitReason | null): ReentryDecision {
  if (lastExit === null) return { allowed: true };
  switch (policy) {
    case "never":
      return { allowed: false, reason: "reentry_not_allowed" };
    case "after_exit":
      return { allowed: true };
    case "after_completion":
      return lastExit === "completed" ? { allowed: true } : { allowed: false, reason: "reentry_not_allowed" };
  }
}
