import nodemailer from "nodemailer";
import type { MailTransport, OutgoingMessage } from "./types";
import { TransientDeliveryError } from "./types";

/** Errors that mean the server never accepted the message. */
const NOT_ACCEPTED_CODES = new Set(["ECONNREFUSED", "ECONNECTION", "ETIMEDOUT", "EDNS", "ESOCKET", "EAUTH"]);

/**
 * Any SMTP provider, configured by SMTP_URL (smtp[s]://user:pass@host:port).
 * SMTP has no idempotency key: the deterministic Message-ID lets providers
 * and recipients' servers spot a duplicate, and Stepwise itself never
 * re-sends a message whose outcome is unknown.
 */
export class SmtpTransport implements MailTransport {
  readonly name = "smtp";
  private readonly transporter: nodemailer.Transporter;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url);
  }

  async deliver(message: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      await this.transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { ...message.headers, "X-Stepwise-Idempotency-Key": message.idempotencyKey },
        messageId: `<${message.messageId}>`,
      });
      return { messageId: message.messageId };
    } catch (error) {
      const code = (error as { code?: string }).code;
      const responseCode = (error as { responseCode?: number }).responseCode;
      const beforeData = (error as { command?: string }).command !== "DATA";
      if ((code && NOT_ACCEPTED_CODES.has(code)) || (responseCode && responseCode >= 400 && responseCode < 500 && beforeData)) {
        throw new TransientDeliveryError(`SMTP delivery not accepted: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
  }
}
