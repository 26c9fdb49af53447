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
 * enrollment (and, for a restart, a restart key), so sending it twice starts
 * one run.
 */
export function enrollmentStartedEvent(input: {
  enrollmentId: string;
  contactId: string;
  sequenceId: string;
  exitOnReply: boolean;
  /**
   * For a run restarted mid-sequence (self-healing: "heal:<hour>"; a resumed
   * sequence: "resume:<time>"). A run always continues from what the
   * database says is next, so a restart never repeats a sent step.
   */
  restartKey?: string;
}): OutgoingEvent {
  const runKey = input.restartKey === undefined ? input.enrollmentId : `${input.enrollmentId}:${input.restartKey}`;
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
