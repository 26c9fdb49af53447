import type { Db } from "../../db/prisma";
import { now } from "../../clock";
import type { MailTransport, OutgoingMessage } from "./types";

/**
 * Stores messages in the database instead of sending them: the default on
 * the embedded set-up, so a fresh machine works offline. Browsable on the
 * Sent mail page. Deduplicates on the idempotency key, like a provider would.
 */
export class CatcherTransport implements MailTransport {
  readonly name = "catcher";
  constructor(private readonly db: Db) {}

  async deliver(message: OutgoingMessage): Promise<{ messageId: string }> {
    await this.db.caughtMessage.upsert({
      where: { idempotencyKey: message.idempotencyKey },
      update: {},
      create: {
        messageId: message.messageId,
        idempotencyKey: message.idempotencyKey,
        fromAddress: message.from,
        toAddress: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { ...message.headers, ...(message.replyTo ? { "Reply-To": message.replyTo } : {}), "Message-ID": `<${message.messageId}>` },
        contactId: message.refs?.contactId,
        enrollmentId: message.refs?.enrollmentId,
        stepId: message.refs?.stepId,
        createdAt: now(),
      },
    });
    return { messageId: message.messageId };
  }
}
