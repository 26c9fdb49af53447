/**
 * Sends Inngest events after a database change has committed.
 *
 * The database is the source of truth; events only make things prompt. So a
 * failed send never fails the user's action: it is logged, and the
 * self-healing job (or the send step's own re-check) covers for it.
 */
export type OutgoingEvent = { name: string; data: Record<string, unknown>; id?: string };
export type EventSender = (events: OutgoingEvent[]) => Promise<void>;

async function sendWithInngest(events: OutgoingEvent[]): Promise<void> {
  const { inngest } = await import("../../inngest/client");
  await inngest.send(events);
}

let sender: EventSender = sendWithInngest;

/** Replaces how events leave the app (tests, the offline executor). */
export function setEventSender(next: EventSender | null): void {
  sender = next ?? sendWithInngest;
}

/** Publishes events; never throws. Returns whether they were accepted. */
export async function publishEvents(events: OutgoingEvent[]): Promise<boolean> {
  if (events.length === 0) return true;
  try {
    await sender(events);
    return true;
  } catch (error) {
    console.error(
      `[events] could not send ${events.map((e) => e.name).join(", ")}; the self-healing job will recover:`,
      error instanceof Error ? error.message : error,
    );
    return false;
  }
}
