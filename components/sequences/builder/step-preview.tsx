"use client";

import { renderStepMessage, type MergeContact } from "@/lib/email/render";

export type PreviewContext = { contact: MergeContact; senderName: string; postalAddress: string };

/** The step as the sample contact would read it, footer included (pure rendering, no request). */
export function StepPreview({ subject, body, context }: { subject: string; body: string; context: PreviewContext }) {
  const message = renderStepMessage({
    subject,
    body,
    contact: context.contact,
    unsubscribeUrl: "https://example.com/unsubscribe/…",
    oneClickUrl: "https://example.com/api/unsubscribe/…",
    postalAddress: context.postalAddress,
    senderName: context.senderName,
  });
  const { firstName, lastName, email } = context.contact;
  const name = [firstName, lastName].filter(Boolean).join(" ");
  // overflow-wrap:anywhere (unlike break-words) lets long links and addresses shrink the
  // preview, so it never widens the step form past a phone's screen.
  return (
    <section aria-label="Preview" className="grid content-start gap-2 rounded-md border bg-muted/40 p-3 text-sm [overflow-wrap:anywhere]">
      <p className="text-xs text-muted-foreground">
        Preview for {name ? `${name} <${email}>` : email}
      </p>
      <p>
        <span className="text-muted-foreground">Subject: </span>
        <span className="font-medium" data-preview-subject="">
          {message.subject || "(no subject)"}
        </span>
      </p>
      <div className="whitespace-pre-wrap" data-preview-body="">
        {message.text}
      </div>
    </section>
  );
}
