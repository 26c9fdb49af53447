/**
 * The Inngest events the domain sends after its database changes commit:
 * one to start an enrollment's run, and the contact.* events that cancel runs
 * after an exit. Built here so that ids and payloads have one definition.
 */
import type { OutgoingEvent } from "../events/publish";
import { EXIT_REASON_DEFINITIONS, type TExitReason } from "./exit-reasons";

export const ENROLLMENT_STARTED = "stepwise/enrollment.started";

/**
 * The event id is derived from the enrollment (and the step a resumed run
 * starts from), so sending it twice starts one run.
 */
export function enrollmentStartedEvent(input: {
  enrollmentId: string;
  contactId: string;
  sequenceId: string;
  exitOnReply: boolean;
  resumeFromStep?: number;
  /** Distinguishes repeated self-healing restarts of the same step. */
  attempt?: number;
}): OutgoingEvent {
  const resumeFromStep = input.resumeFromStep ?? 0;
  const suffix = resumeFromStep === 0 && !input.attempt ? "" : `-resume-${resumeFromStep}-${input.attempt ?? 0}`;
  return {
    name: ENROLLMENT_STARTED,
    id: `enrollment-${input.enrollmentId}${suffix}`,
    data: {
      enrollmentId: input.enrollmentId,
      contactId: input.contactId,
      sequenceId: input.sequenceId,
      exitOnReply: input.exitOnReply,
      resumeFromStep,
    },
  };
}

/** The cancel event for an exit, or null when none is needed (completed). */
export function exitEvent(reason: TExitReason, contactId: string, sequenceId: string | null): OutgoingEvent | null {
  const name = EXIT_REASON_DEFINITIONS[reason].cancelEvent;
  if (!name) return null;
  const data = name === "contact.opted_out" ? { contactId } : { contactId, sequenceId };
  return { name, data };
}
