/**
 * What an SMTP failure means for the send path:
 * - not_accepted: the server cannot have the message (a 4xx reply, or the
 *   connection failed before any content went out). Retrying cannot
 *   duplicate it.
 * - rejected: a 5xx reply. Permanent; retrying gives the same answer.
 * - unknown: the connection failed (dropped, timed out) after the content
 *   started to go out. The server may have queued it; never re-sent.
 */
export type SmtpFailure = "not_accepted" | "rejected" | "unknown";

/**
 * Without these nodemailer waits up to 2 minutes to connect and 10 minutes
 * on a silent socket, holding an Inngest step open. A slow server past them
 * fails like any dropped connection (see classifySmtpFailure). Each can be
 * overridden in SMTP_URL's query (?socketTimeout=120000).
 */
export const SMTP_DEFAULT_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export function classifySmtpFailure(error: unknown, attempt: { contentStarted: boolean }): SmtpFailure {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  // Login and TLS happen before any message: a wrong password or an
  // untrusted certificate is the installation's to fix, and must not use up
  // (fail for good) a step of every contact meanwhile.
  if (code === "EAUTH" || code === "ETLS") return "not_accepted";
  // An explicit reply is definite whatever the phase: RFC 5321 says a
  // server that answers 4xx/5xx to the final "." has not taken the message.
  if (typeof responseCode === "number" && responseCode >= 400 && responseCode < 500) return "not_accepted";
  if (typeof responseCode === "number" && responseCode >= 500) return "rejected";
  return attempt.contentStarted ? "unknown" : "not_accepted";
}
