import { PassThrough } from "node:stream";
import SMTPConnection from "nodemailer/lib/smtp-connection";

export type Attempt = { contentStarted: boolean };

/**
 * One SMTP connection, greeted and logged in, that sends messages one after
 * another. Socket failures arrive as events, not through the callbacks: each
 * send listens for them while it runs; between sends, a failure marks the
 * session dead so that a pool drops it.
 */
export class SmtpSession {
  sent = 0;
  dead = false;
  private current: ((error: unknown) => void) | null = null;

  private constructor(private readonly connection: SMTPConnection) {
    const fail = (error: unknown) => {
      this.dead = true;
      this.current?.(error);
    };
    connection.on("error", fail);
    connection.on("end", () => fail(Object.assign(new Error("Connection closed unexpectedly"), { code: "ECONNECTION" })));
  }

  static open(options: SMTPConnection.Options): Promise<SmtpSession> {
    return new Promise((resolve, reject) => {
      const session = new SmtpSession(new SMTPConnection(options));
      session.current = (error) => reject(error);
      session.connection.connect(() => {
        const ready = () => {
          session.current = null;
          resolve(session);
        };
        if (!options.auth) return ready();
        session.connection.login(options.auth as SMTPConnection.AuthenticationCredentials, (error) => (error ? session.fail(error, reject) : ready()));
      });
    });
  }

  send(envelope: { from: string; to: string }, raw: Buffer, attempt: Attempt): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        this.current = null;
        if (error) return this.fail(error, reject);
        this.sent++;
        resolve();
      };
      if (this.dead) return finish(Object.assign(new Error("Connection closed unexpectedly"), { code: "ECONNECTION" }));
      this.current = finish;
      this.connection.send({ from: envelope.from, to: [envelope.to] }, trackedContent(raw, attempt), (error, info) => {
        if (error) return finish(error);
        if (info.rejected.length > 0) return finish(Object.assign(new Error(`Recipient rejected: ${info.rejected.join(", ")}`), { responseCode: 550 }));
        finish();
      });
    });
  }

  /** QUIT: the polite end after the last message. */
  quit(): void {
    if (this.dead) return;
    this.dead = true;
    this.connection.quit();
  }

  /** After a failure the connection's state is unknown: never reused. */
  private fail(error: unknown, reject: (error: unknown) => void): void {
    this.dead = true;
    this.connection.close();
    reject(error);
  }
}

/**
 * The message as a stream that notes when SMTPConnection starts sending it:
 * it pipes the content only after the server answered DATA with 354 (or, to
 * drain it, after an envelope error, which carries the server's reply).
 */
function trackedContent(raw: Buffer, attempt: Attempt): PassThrough {
  const stream = new PassThrough();
  stream.end(raw);
  const pipe = stream.pipe.bind(stream);
  stream.pipe = ((destination: NodeJS.WritableStream, options?: { end?: boolean }) => {
    attempt.contentStarted = true;
    return pipe(destination, options);
  }) as typeof stream.pipe;
  return stream;
}
