/**
 * Every way a contact leaves a sequence. One enumerated type, used by the
 * database (ExitReason / EnrollmentStatus), the domain, the events and the UI.
 *
 * A sequence never ends silently: each exit records its reason, when, and an
 * `exited` event in the enrollment log.
 */
import { ExitReason } from "../generated/prisma/enums";

export { ExitReason };
export type TExitReason = (typeof ExitReason)[keyof typeof ExitReason];

export const EXIT_REASONS = Object.values(ExitReason) as TExitReason[];

/** The Inngest event that cancels a contact's runs after this exit, if any. */
export type CancelEventName = "contact.opted_out" | "contact.replied" | "contact.removed";

type ExitReasonDefinition = {
  label: string;
  description: string;
  /** Event sent after the exit commits, so running sequence runs stop early. */
  cancelEvent: CancelEventName | null;
  /** Shown as always-on in the builder (exit-on-reply is the one switch). */
  alwaysOn: boolean;
};

export const EXIT_REASON_DEFINITIONS: Record<TExitReason, ExitReasonDefinition> = {
  completed: {
    label: "Completed",
    description: "Every step was sent (or skipped) and the sequence ended.",
    cancelEvent: null, // the run itself is finishing
    alwaysOn: true,
  },
  replied: {
    label: "Replied",
    description: "The contact replied; only sequences with exit-on-reply end.",
    cancelEvent: "contact.replied",
    alwaysOn: false,
  },
  opted_out: {
    label: "Opted out",
    description: "The contact unsubscribed; every sequence ends at once.",
    cancelEvent: "contact.opted_out",
    alwaysOn: true,
  },
  removed: {
    label: "Removed manually",
    description: "A team member removed the contact from the sequence.",
    cancelEvent: "contact.removed",
    alwaysOn: true,
  },
  contact_deleted: {
    label: "Contact deleted",
    description: "The contact was deleted; every sequence ends.",
    cancelEvent: "contact.removed",
    alwaysOn: true,
  },
  bounced: {
    label: "Bounced",
    description: "Mail to the contact hard-bounced or was marked as spam.",
    cancelEvent: "contact.removed",
    alwaysOn: true,
  },
};

/** Statuses that hold the contact's single live place in a sequence. */
export const LIVE_ENROLLMENT_STATUSES = ["active", "paused"] as const;

export function isExitReason(value: unknown): value is TExitReason {
  return typeof value === "string" && (EXIT_REASONS as string[]).includes(value);
}
