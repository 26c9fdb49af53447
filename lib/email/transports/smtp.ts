import { parseConnectionUrl } from "nodemailer/lib/shared";
import type SMTPConnection from "nodemailer/lib/smtp-connection";
import { verpReturnPath } from "../../mailbox/verp";
import { composeMessage } from "./compose";
import { dkimKey, type DkimKey } from "./dkim";
import { classifySmtpFailure, SMTP_DEFAULT_TIMEOUTS } from "./smtp-outcome";
import { SmtpPool } from "./smtp-pool";
import { SmtpSession, type Attempt } from "./smtp-session";
import type { MailTransport, OutgoingMessage } from "./types";
import { TransientDeliveryError } from "./types";

/**
 * Any SMTP provider, configured by SMTP_URL (smtp[s]://user:pass@host:port,
 * with nodemailer's query options: ?requireTLS=true,
 * ?tls.rejectUnauthorized=false for a self-signed certificate,
 * ?socketTimeout=60000 ...). Signed with DKIM when a key is configured
 * (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY; see dkim.ts).
 *
 * ?pool=true keeps up to maxConnections (5) connections open and sends
 * up to maxMessages (100) messages on each, for throughput; otherwise one
 * connection per message. Either way driven through nodemailer's SMTPConnection
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
  private readonly pool: SmtpPool | null;

  constructor(url: string, env: Record<string, string | undefined> = process.env) {
    const { pool, maxConnections, maxMessages, ...options } = parseConnectionUrl(url) as SMTPConnection.Options & { pool?: unknown; maxConnections?: unknown; maxMessages?: unknown };
    this.options = { ...SMTP_DEFAULT_TIMEOUTS, ...options };
    this.dkim = dkimKey(env);
    this.pool = pool === true ? new SmtpPool(this.options, { maxConnections: positive(maxConnections, 5), maxMessages: positive(maxMessages, 100) }) : null;
  }

  async deliver(message: OutgoingMessage): Promise<{ messageId: string }> {
    const raw = await composeMessage(message, this.dkim);
    const attempt: Attempt = { contentStarted: false };
    try {
      // With BOUNCE_DOMAIN a step email's bounces come back to an address naming the send (VERP).
      await this.send({ from: verpReturnPath(message.messageId) ?? envelopeAddress(message.from), to: message.to }, raw, attempt);
      return { messageId: message.messageId };
    } catch (error) {
      const verdict = classifySmtpFailure(error, attempt);
      const text = error instanceof Error ? error.message : String(error);
      if (verdict === "not_accepted") throw new TransientDeliveryError(`SMTP delivery not accepted: ${text}`, { cause: error });
      if (verdict === "rejected") throw new Error(`SMTP server rejected the message: ${text}`, { cause: error });
      throw new Error(`SMTP connection failed while the message was being sent; outcome unknown, not re-sent: ${text}`, { cause: error });
    }
  }

  /** Closes the pool's idle connections (tests, benchmarks). */
  close(): void {
    this.pool?.close();
  }

  private async send(envelope: { from: string; to: string }, raw: Buffer, attempt: Attempt): Promise<void> {
    if (!this.pool) {
      const session = await SmtpSession.open(this.options);
      await session.send(envelope, raw, attempt);
      session.quit();
      return;
    }
    const session = await this.pool.acquire();
    const reused = session.sent > 0;
    try {
      await session.send(envelope, raw, attempt);
    } catch (error) {
      this.pool.release(session);
      // A kept connection the server closed while idle: nothing went out, so once more on a new one.
      if (reused && !attempt.contentStarted && typeof (error as { responseCode?: unknown }).responseCode !== "number") return this.sendFresh(envelope, raw, attempt);
      throw error;
    }
    this.pool.release(session);
  }

  private async sendFresh(envelope: { from: string; to: string }, raw: Buffer, attempt: Attempt): Promise<void> {
    const session = await SmtpSession.open(this.options);
    try {
      await session.send(envelope, raw, attempt);
    } finally {
      session.quit();
    }
  }
}

function positive(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** "Name <a@b>" -> "a@b" for MAIL FROM. */
function envelopeAddress(from: string): string {
  const bracketed = from.match(/<([^<>]+)>\s*$/);
  return (bracketed ? bracketed[1] : from).trim();
}
