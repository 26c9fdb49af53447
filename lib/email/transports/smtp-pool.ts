import type SMTPConnection from "nodemailer/lib/smtp-connection";
import { SmtpSession } from "./smtp-session";

/**
 * Up to `maxConnections` open SMTP sessions shared by concurrent sends, each
 * closed after `maxMessages` (servers limit messages per connection) or a
 * failure. A send waits for a free session rather than opening more.
 */
export class SmtpPool {
  private readonly idle: SmtpSession[] = [];
  private readonly waiting: ((session: SmtpSession | null) => void)[] = [];
  private open = 0;

  constructor(
    private readonly options: SMTPConnection.Options,
    private readonly limits: { maxConnections: number; maxMessages: number },
  ) {}

  /** An idle live session, a new one while under the limit, or the next one released. */
  async acquire(): Promise<SmtpSession> {
    for (let session = this.idle.pop(); session; session = this.idle.pop()) {
      if (!session.dead) return session;
      this.open--;
    }
    if (this.open >= this.limits.maxConnections) {
      const handed = await new Promise<SmtpSession | null>((resolve) => this.waiting.push(resolve));
      if (handed) return handed;
    }
    this.open++;
    try {
      return await SmtpSession.open(this.options);
    } catch (error) {
      this.open--;
      this.waiting.shift()?.(null);
      throw error;
    }
  }

  /** Back to the pool, or closed when spent or broken (a waiting send then opens its own). */
  release(session: SmtpSession): void {
    if (session.dead || session.sent >= this.limits.maxMessages) {
      if (!session.dead) session.quit();
      this.open--;
      this.waiting.shift()?.(null);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter(session);
    else this.idle.push(session);
  }

  close(): void {
    for (const session of this.idle.splice(0)) session.quit();
    this.open = 0;
  }
}
