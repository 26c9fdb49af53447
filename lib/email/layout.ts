/**
 * The HTML frame of every message: a centred 600px column that fills a
 * phone's width, the body, and the footer with the unsubscribe link and the
 * sender's postal address. CSS is written once as a style sheet and inlined
 * by juice, since many mail clients ignore <style>; the media query stays in
 * <style> (juice keeps it) for clients that honour it.
 */
import juice from "juice";
import { escapeHtml } from "./text-body";

const CSS = `
body { margin: 0; padding: 0; background-color: #f4f4f5; }
.wrapper { width: 100%; background-color: #f4f4f5; }
.container { width: 600px; max-width: 600px; background-color: #ffffff; }
.content { padding: 24px 32px; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #18181b; }
.content p { margin: 0 0 16px 0; }
.content a { color: #2563eb; }
.content img { max-width: 100%; height: auto; }
.content h1 { margin: 0 0 16px 0; font-size: 24px; line-height: 1.3; }
.content h2 { margin: 0 0 12px 0; font-size: 20px; line-height: 1.3; }
.content h3 { margin: 0 0 12px 0; font-size: 17px; line-height: 1.3; }
.content ul, .content ol { margin: 0 0 16px 0; padding: 0 0 0 24px; }
.content a.button { display: inline-block; padding: 12px 20px; background-color: #2563eb; color: #ffffff; font-weight: bold; text-decoration: none; border-radius: 6px; }
.footer { padding: 16px 32px 24px 32px; font-family: Arial, Helvetica, sans-serif; font-size: 12px; line-height: 1.5; color: #71717a; border-top: 1px solid #e4e4e7; }
.footer a { color: #71717a; }
@media only screen and (max-width: 620px) {
  .container { width: 100% !important; }
  .content { padding: 16px !important; }
  .footer { padding: 12px 16px 16px 16px !important; }
}`;

export type Footer = { senderName: string; unsubscribeUrl: string; postalAddress: string };

/** The footer as plain text, for the text part. */
export function footerText({ senderName, unsubscribeUrl, postalAddress }: Footer): string {
  return `--\nYou are receiving this because you are in touch with ${senderName}.\nUnsubscribe: ${unsubscribeUrl}\n${postalAddress}`;
}

/** A whole HTML document around an already sanitized body fragment, CSS inlined. */
export function emailDocument(bodyHtml: string, footer: Footer): string {
  const document = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${CSS}</style></head>`,
    '<body><table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">',
    '<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0">',
    `<tr><td class="content">\n<!--body-->\n${bodyHtml}\n<!--/body-->\n</td></tr>`,
    `<tr><td class="footer">You are receiving this because you are in touch with ${escapeHtml(footer.senderName)}. `,
    `<a href="${escapeHtml(footer.unsubscribeUrl)}">Unsubscribe</a><br>${escapeHtml(footer.postalAddress)}</td></tr>`,
    "</table></td></tr></table></body></html>",
  ].join("\n");
  return juice(document, { removeStyleTags: true, preserveMediaQueries: true, applyWidthAttributes: true });
}
