/**
 * A mail transport that records every message it actually hands over, with
 * a monotonic timestamp taken when deliver() is entered, and that can fail
 * on demand. Counting here (not in the catcher, which deduplicates on the
 * idempotency key) is what makes "delivered at most once" a real check.
 */
import type { MailTransport, OutgoingMessage } from "../../lib/email/transports";

export type Delivery = { key: string; to: string; subject: string; enteredAt: number };

export type RecordingTransport = MailTransport & {
  deliveries: Delivery[];
  /** Deliveries per idempotency key (`<enrollmentId>:<stepId>`). */
  countByKey: () => Map<string, number>;
  /**
   * Decides, per message, to fail: before handing it over (`delivered:
   * false`, the provider never got it) or after (`delivered: true`, e.g. the
   * connection dropped after DATA). Undefined: deliver normally.
   */
  fault?: (message: OutgoingMessage) => { error: Error; delivered: boolean } | undefined;
};

export function recordingTransport(inner?: MailTransport): RecordingTransport {
  const deliveries: Delivery[] = [];
  const transport: RecordingTransport = {
    name: "recording",
    deliveries,
    countByKey() {
      const counts = new Map<string, number>();
      for (const d of deliveries) counts.set(d.key, (counts.get(d.key) ?? 0) + 1);
      return counts;
    },
    async deliver(message: OutgoingMessage) {
      const enteredAt = performance.now();
      const fault = transport.fault?.(message);
      if (fault && !fault.delivered) throw fault.error;
      // Recorded once the inner transport accepted it: a failed hand-over delivered nothing.
      const result = inner ? await inner.deliver(message) : { messageId: message.messageId };
      deliveries.push({ key: message.idempotencyKey, to: message.to, subject: message.subject, enteredAt });
      if (fault) throw fault.error;
      return result;
    },
  };
  return transport;
}

/** Every key delivered more than once (should always be empty). */
export function duplicates(transport: RecordingTransport): [string, number][] {
  return [...transport.countByKey()].filter(([, n]) => n > 1);
}
