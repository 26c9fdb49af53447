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
  return (
    <section aria-label="Preview" className="grid gap-2 rounded-md border bg-muted/40 p-3 text-sm">
      <p className="text-xs text-muted-foreground">
        Preview for {name ? `${name} <${email}>` : email}
      </p>
      <p>
        <span className="text-muted-foreground">Subject: </span>
        <span className="font-medium" data-preview-subject="">
          {message.subject || "(no subject)"}
        </span>
      </p>
      <div className="whitespace-pre-wrap break-words" data-preview-body="">
        {message.text}
      </div>
    </section>
  );
}
