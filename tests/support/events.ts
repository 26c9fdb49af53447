import { setEventSender, type OutgoingEvent } from "../../lib/events/publish";

export { startedEnrollmentIds } from "../../lib/sequences/run-events";

/** Captures the events the domain publishes, instead of sending them. */
export function recordEvents() {
  const sent: OutgoingEvent[] = [];
  setEventSender(async (events) => {
    sent.push(...events);
  });
  return { sent, restore: () => setEventSender(null) };
}
