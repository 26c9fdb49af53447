export type OutgoingMessage = {
  from: string;
  /** Where replies go when not to `from` (a sender's reply-to). */
  replyTo?: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** RFC 5322 Message-ID, without angle brackets. */
  messageId: string;
  /** Same key = same message; transports that can deduplicate on it do. */
  idempotencyKey: string;
  /** For the mail catcher's browsing; SMTP ignores it. */
  refs?: { contactId?: string; enrollmentId?: string; stepId?: string };
};

export interface MailTransport {
  readonly name: string;
  deliver(message: OutgoingMessage): Promise<{ messageId: string }>;
}

/**
 * The transport knows the message was NOT accepted (connection refused, DNS,
 * a 4xx before DATA): delivering again cannot duplicate it. Any other error
 * leaves the outcome unknown, and Stepwise never re-sends then.
 */
export class TransientDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientDeliveryError";
  }
}
