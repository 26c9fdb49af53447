/**
 * The Inngest events the domain sends after its database changes commit:
 * one to start an enrollment's run, and the contact.* events that cancel runs
 * after an exit. Built here so that ids and payloads have one definition.
 */
import type { OutgoingEvent } from "../events/publish";
import { EXIT_REASON_DEFINITIONS, type TExitReason } from "./exit-reasons";

export const ENROLLMENT_STARTED = "stepwise/enrollment.started";
export const COHORT_STARTED = "stepwise/enrollments.started";

/**
 * The most enrollments one cohort run drives. One of its steps plans or
 * sends for each member that is due, so the size bounds a step's duration
 * (about 100 sends of ~10 ms, four at a time) and the size of its memoized
 * plans (~25 KB), far inside Inngest's limits on both.
 */
export const COHORT_SIZE = 100;

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

type StartedData = { enrollmentId: string; contactId: string; sequenceId: string; exitOnReply: boolean; runKey: string };

/**
 * The start events of enrollments made together (a bulk enrollment, an
 * import, a resume), with those of one sequence grouped into cohorts of up
 * to COHORT_SIZE: one run per cohort (inngest/functions/run-cohort.ts)
 * sends for all its members at once, instead of a run and a request per
 * member and email. An enrollment alone in its sequence keeps its own run.
 * Deterministic (same input, same events and ids), so publishing the same
 * list twice starts each run once.
 */
export function startEvents(started: OutgoingEvent[]): OutgoingEvent[] {
  const others: OutgoingEvent[] = [];
  const bySequence = new Map<string, OutgoingEvent[]>();
  for (const event of started) {
    if (event.name !== ENROLLMENT_STARTED) others.push(event);
    else {
      const { sequenceId } = event.data as StartedData;
      const group = bySequence.get(sequenceId);
      if (group) group.push(event);
      else bySequence.set(sequenceId, [event]);
    }
  }
  const grouped = [...bySequence].flatMap(([sequenceId, group]) => {
    if (group.length === 1) return group;
    const members = group.map((event) => event.data as StartedData);
    const cohorts: OutgoingEvent[] = [];
    for (let i = 0; i < members.length; i += COHORT_SIZE) cohorts.push(cohortStartedEvent(sequenceId, members.slice(i, i + COHORT_SIZE)));
    return cohorts;
  });
  return [...others, ...grouped];
}

/** The enrollments whose runs these events start: one each, or every member of a cohort. */
export function startedEnrollmentIds(events: OutgoingEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.name === ENROLLMENT_STARTED) return [(event.data as StartedData).enrollmentId];
    if (event.name === COHORT_STARTED) return (event.data.members as { enrollmentId: string }[]).map((member) => member.enrollmentId);
    return [];
  });
}

function cohortStartedEvent(sequenceId: string, members: StartedData[]): OutgoingEvent {
  // The first member's run key names the cohort: it is unique to that
  // enrollment and start (a resume has its own), so a cohort starts once.
  const runKey = `cohort:${members[0].runKey}`;
  return {
    name: COHORT_STARTED,
    id: `enrollment-run-${runKey}`,
    data: {
      sequenceId,
      exitOnReply: members[0].exitOnReply,
      members: members.map(({ enrollmentId, contactId }) => ({ enrollmentId, contactId })),
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
