import { PassThrough } from "node:stream";
import { parseConnectionUrl } from "nodemailer/lib/shared";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { composeMessage } from "./compose";
import { dkimKey, type DkimKey } from "./dkim";
import { classifySmtpFailure, SMTP_DEFAULT_TIMEOUTS } from "./smtp-outcome";
import type { MailTransport, OutgoingMessage } from "./types";
import { TransientDeliveryError } from "./types";

/**
 * Any SMTP provider, configured by SMTP_URL (smtp[s]://user:pass@host:port,
 * with nodemailer's query options: ?requireTLS=true,
 * ?tls.rejectUnauthorized=false for a self-signed certificate,
 * ?socketTimeout=60000 ...). Signed with DKIM when a key is configured
 * (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY; see dkim.ts).
 *
 * One connection per message, driven through nodemailer's SMTPConnection
 * rather than its transport, because the send path needs to know one thing
 * the transport hides: whether the message content had started to go out
 * when the connection failed. Before that the server cannot have the
 * message and a retry is safe; after it the outcome is unknown and Stepwise
 * never re-sends (an explicit 4xx/5xx reply is still definite).
 */
export class SmtpTransport implements MailTransport {
  readonly name = "smtp";
  private readonly options: SMTPConnection.Options;
  private readonly dkim: DkimKey | null;

  constructor(url: string, env: Record<string, string | undefined> = process.env) {
    this.options = { ...SMTP_DEFAULT_TIMEOUTS, ...parseConnectionUrl(url) };
    this.dkim = dkimKey(env);
  }

  async deliver(message: OutgoingMessage): Promise<{ messageId: string }> {
    const raw = await composeMessage(message, this.dkim);
    const attempt = { contentStarted: false };
    try {
      await sendOnce(this.options, message, raw, attempt);
      return { messageId: message.messageId };
    } catch (error) {
      const verdict = classifySmtpFailure(error, attempt);
      const text = error instanceof Error ? error.message : String(error);
      if (verdict === "not_accepted") throw new TransientDeliveryError(`SMTP delivery not accepted: ${text}`, { cause: error });
      if (verdict === "rejected") throw new Error(`SMTP server rejected the message: ${text}`, { cause: error });
      throw new Error(`SMTP connection failed while the message was being sent; outcome unknown, not re-sent: ${text}`, { cause: error });
    }
  }
}

/**
 * The message as a stream that notes when SMTPConnection starts sending it:
 * it pipes the content only after the server answered DATA with 354 (or, to
 * drain it, after an envelope error, which carries the server's reply).
 */
function trackedContent(raw: Buffer, attempt: { contentStarted: boolean }): PassThrough {
  const stream = new PassThrough();
  stream.end(raw);
  const pipe = stream.pipe.bind(stream);
  stream.pipe = ((destination: NodeJS.WritableStream, options?: { end?: boolean }) => {
    attempt.contentStarted = true;
    return pipe(destination, options);
  }) as typeof stream.pipe;
  return stream;
}

function sendOnce(options: SMTPConnection.Options, message: OutgoingMessage, raw: Buffer, attempt: { contentStarted: boolean }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const connection = new SMTPConnection(options);
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error) {
        connection.close();
        reject(error);
      } else {
        connection.quit();
        resolve();
      }
    };
    // SMTPConnection reports socket failures as events, not to the callbacks.
    connection.on("error", (error) => finish(error));
    connection.on("end", () => finish(Object.assign(new Error("Connection closed unexpectedly"), { code: "ECONNECTION" })));
    connection.connect(() => {
      const send = () =>
        connection.send({ from: envelopeAddress(message.from), to: [message.to] }, trackedContent(raw, attempt), (error, info) => {
          if (error) return finish(error);
          if (info.rejected.length > 0) return finish(Object.assign(new Error(`Recipient rejected: ${info.rejected.join(", ")}`), { responseCode: 550 }));
          finish();
        });
      if (!options.auth) return send();
      connection.login(options.auth as SMTPConnection.AuthenticationCredentials, (error) => (error ? finish(error) : send()));
    });
  });
}

/** "Name <a@b>" -> "a@b" for MAIL FROM. */
function envelopeAddress(from: string): string {
  const bracketed = from.match(/<([^<>]+)>\s*$/);
  return (bracketed ? bracketed[1] : from).trim();
}
