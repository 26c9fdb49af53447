import "server-only";
import { mailConfig } from "../email/config";
import { escapeHtml } from "../email/render";
import { getTransport } from "../email/transports";
import type { Db } from "../db/prisma";

/** Sends one of the team's own messages (invitation, reset) through the configured transport. */
export async function sendTeamMail(db: Db, input: { to: string; subject: string; intro: string; linkText: string; link: string; outro: string; key: string }): Promise<void> {
  const config = mailConfig();
  await getTransport(db).deliver({
    from: config.from,
    to: input.to,
    subject: input.subject,
    text: `${input.intro}\n\n${input.linkText}: ${input.link}\n\n${input.outro}\n`,
    html: `<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5"><p>${escapeHtml(input.intro)}</p><p><a href="${escapeHtml(input.link)}">${escapeHtml(input.linkText)}</a></p><p>${escapeHtml(input.outro)}</p></body></html>`,
    headers: {},
    messageId: `${input.key}@${config.messageIdDomain}`,
    idempotencyKey: input.key,
  });
}
