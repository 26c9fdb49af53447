import type { Db } from "../../db/prisma";
import { CatcherTransport } from "./catcher";
import { SmtpTransport } from "./smtp";
import type { MailTransport } from "./types";

export type { MailTransport, OutgoingMessage } from "./types";
export { TransientDeliveryError } from "./types";

let override: MailTransport | null = null;
let cached: MailTransport | null = null;

/** SMTP when SMTP_URL is set, else the local mail catcher. */
export function getTransport(db: Db): MailTransport {
  if (override) return override;
  cached ??= process.env.SMTP_URL ? new SmtpTransport(process.env.SMTP_URL) : new CatcherTransport(db);
  return cached;
}

/** Tests replace the transport (a failing one, say). */
export function setTransport(transport: MailTransport | null): void {
  override = transport;
}
