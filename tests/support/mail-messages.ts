/**
 * Raw messages as they arrive in the sender's mailbox: replies and RFC 3464
 * delivery reports. Shared by the mailbox tests and the reply-detection
 * benchmark (scripts/bench/reply-detection.ts), which read them back over IMAP.
 */
import { randomUUID } from "node:crypto";

const DATE = "Mon, 05 Jan 2026 10:00:00 +0000";

/** A reply to `inReplyTo` (with its angle brackets); `body` lines after the headers. */
export function replyMessage(opts: { from: string; inReplyTo: string; extraHeaders?: string[]; subject?: string; body?: string[] }): string {
  return [
    `From: Someone <${opts.from}>`,
    "To: sender@example.test",
    `Subject: ${opts.subject ?? "Re: Step 1"}`,
    `Message-ID: <${randomUUID()}@client.test>`,
    `In-Reply-To: ${opts.inReplyTo}`,
    `References: ${opts.inReplyTo}`,
    `Date: ${DATE}`,
    ...(opts.extraHeaders ?? []),
    "Content-Type: text/plain; charset=utf-8",
    "",
    ...(opts.body ?? ["Thanks, let's talk."]),
    "",
  ].join("\r\n");
}

/**
 * A delivery status notification for `recipient`, returning the headers of
 * the message with `returnedMessageId` (with its angle brackets; null: no
 * returned headers), delivered to `to` (a VERP return path, say).
 */
export function deliveryReport(opts: { recipient: string; returnedMessageId: string | null; status: string; action: string; to?: string }): string {
  const boundary = `b-${randomUUID()}`;
  return [
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>",
    `To: ${opts.to ?? "sender@example.test"}`,
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: <${randomUUID()}@mx.example.test>`,
    `Date: ${DATE}`,
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This is the mail system. Your message could not be delivered.",
    "",
    `--${boundary}`,
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.test",
    "",
    `Final-Recipient: rfc822; ${opts.recipient}`,
    `Original-Recipient: rfc822; ${opts.recipient}`,
    `Action: ${opts.action}`,
    `Status: ${opts.status}`,
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    "",
    ...(opts.returnedMessageId === null
      ? []
      : [`--${boundary}`, "Content-Type: text/rfc822-headers", "", "From: Stepwise Demo <hello@stepwise.local>", `To: ${opts.recipient}`, "Subject: Step 1", `Message-ID: ${opts.returnedMessageId}`, ""]),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}
