/** An IMAP failure in words for the settings page (never a stack trace). */
export function describeImapError(error: unknown, where: { host: string; port: number; folder?: string }): string {
  const e = (error ?? {}) as { code?: string; authenticationFailed?: boolean; serverResponseCode?: string; responseText?: string; message?: string };
  const at = `${where.host}:${where.port}`;
  if (e.authenticationFailed || e.serverResponseCode === "AUTHENTICATIONFAILED") return `${at} refused the user name or password (or token).`;
  if (e.serverResponseCode === "NONEXISTENT" || /doesn't exist|does not exist|NONEXISTENT/i.test(e.responseText ?? "")) return `The folder "${where.folder ?? ""}" does not exist on ${at}.`;
  switch (e.code) {
    case "ECONNREFUSED":
      return `Nothing accepted a connection at ${at}. Check the host and port.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host ${where.host} was not found.`;
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
    case "GREETING_TIMEOUT":
      return `${at} did not answer in time.`;
    case "NoConnection":
    case "ECONNRESET":
      return `${at} closed the connection.`;
  }
  if (/certificate|self[- ]signed|TLS|SSL/i.test(e.message ?? "")) return `TLS failed with ${at}: ${(e.message ?? "").slice(0, 200)}`;
  return `Could not read the mailbox at ${at}: ${(e.responseText || e.message || "unknown error").slice(0, 200)}`;
}
