import MailComposer from "nodemailer/lib/mail-composer";
import { listHeaders } from "../headers";
import { dkimSign, type DkimKey } from "./dkim";
import type { OutgoingMessage } from "./types";

/**
 * The message as it goes on the wire: MIME from the rendered parts, the
 * headers added on the way out (List-Id), and a DKIM signature when a key
 * is configured. The deliverability test scores exactly these bytes.
 */
export async function composeMessage(message: OutgoingMessage, dkim: DkimKey | null = null): Promise<Buffer> {
  const mail = new MailComposer({
    from: message.from,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: {
      ...message.headers,
      // Prepared: nodemailer would otherwise MIME-encode the quotes and angle brackets.
      ...Object.fromEntries(Object.entries(listHeaders(message)).map(([name, value]) => [name, { prepared: true, value }])),
      "X-Stepwise-Idempotency-Key": message.idempotencyKey,
    },
    messageId: `<${message.messageId}>`,
  });
  const raw = await mail.compile().build();
  return dkim ? dkimSign(raw, dkim) : raw;
}
