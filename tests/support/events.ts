import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";

/** Captures the events the domain publishes, instead of sending them. */
export function recordEvents() {
  const sent: OutgoingEvent[] = [];
  setEventSender(async (events) => {
    sent.push(...events);
  });
  return { sent, restore: () => setEventSender(null) };
}

/**
 * The enrollments whose runs these events start: one each for
 * "stepwise/enrollment.started", every member of a cohort's
 * "stepwise/enrollments.started" (lib/sequences/run-events.ts startEvents).
 */
export function startedEnrollmentIds(events: OutgoingEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.name === "stepwise/enrollment.started") return [String(event.data.enrollmentId)];
    if (event.name === "stepwise/enrollments.started") return (event.data.members as { enrollmentId: string }[]).map((m) => m.enrollmentId);
    return [];
  });
}
