/**
 * The Inngest events the domain sends after its database changes commit:
 * one to start an enrollment's run, and the contact.* events that cancel runs
 * after an exit. Built here so that ids and payloads have one definition.
 */
import type { OutgoingEvent } from "../events/publish";
import { EXIT_REASON_DEFINITIONS, type TExitReason } from "./exit-reasons";

export const ENROLLMENT_STARTED = "stepwise/enrollment.started";

/**
 * Starts an enrollment's run. The event id and the run key derive from the
 * enrollment (and, for a self-healing restart, the hour), so sending it
 * twice starts one run.
 */
export function enrollmentStartedEvent(input: {
  enrollmentId: string;
  contactId: string;
  sequenceId: string;
  exitOnReply: boolean;
  /** Set by the self-healing job: one restart per enrollment per bucket. */
  healBucket?: number;
}): OutgoingEvent {
  const runKey = input.healBucket === undefined ? input.enrollmentId : `${input.enrollmentId}:heal:${input.healBucket}`;
  return {
    name: ENROLLMENT_STARTED,
    id: `enrollment-run-${runKey}`,
    data: {
      enrollmentId: input.enrollmentId,
      contactId: input.contactId,
      sequenceId: input.sequenceId,
      exitOnReply: input.exitOnReply,
      runKey,
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
