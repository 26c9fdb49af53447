"use client";

import { useEffect, useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { findPreviewContactsAction } from "@/lib/actions/authoring/find-preview-contacts-action";
import { previewStepAction } from "@/lib/actions/authoring/preview-step-action";
import { sendTestStepAction } from "@/lib/actions/authoring/send-test-step-action";
import type { MergeContact } from "@/lib/email/merge-tags";
import { toastResult } from "./action-feedback";

/** `sequenceId`: whose sender the preview and the test are from. */
export type PreviewContext = { contact: MergeContact; senderName: string; postalAddress: string; sequenceId?: string };

type Rendered = { contact: { id: string | null; label: string }; from: string; replyTo: string | null; subject: string; text: string; html: string };

/**
 * The step as a chosen contact would receive it, rendered on the server by
 * the function that renders real sends; "Send a test to me" mails that
 * rendering to the signed-in user.
 */
export function StepPreview({ subject, body, sequenceId }: { subject: string; body: string; sequenceId?: string }) {
  const id = useId();
  const [contactId, setContactId] = useState<string | undefined>(undefined);
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<{ id: string | null; label: string }[]>([]);
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [view, setView] = useState<"html" | "text">("html");
  const [sending, startSending] = useTransition();

  // Debounced: one render per pause in typing, the latest one winning.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const result = await previewStepAction({ subject, body, contactId, sequenceId });
      if (!live) return;
      if (result.ok) {
        setRendered(result.data);
        setProblem(null);
      } else setProblem(result.message);
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [subject, body, contactId, sequenceId]);

  useEffect(() => {
    if (!query.trim()) return setMatches([]);
    let live = true;
    const timer = setTimeout(async () => {
      const result = await findPreviewContactsAction({ query });
      if (live && result.ok) setMatches(result.data);
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  function sendTest() {
    startSending(async () => {
      const result = await sendTestStepAction({ subject, body, contactId, sequenceId });
      toastResult(result, result.ok ? `Test sent to ${result.data.to}` : undefined);
    });
  }

  return (
    <section aria-label="Preview" className="grid content-start gap-2 rounded-md border bg-muted/40 p-3 text-sm [overflow-wrap:anywhere]">
      <div className="grid gap-1">
        <label className="text-xs text-muted-foreground" htmlFor={`${id}-contact`}>
          Preview the step as
        </label>
        <Input
          id={`${id}-contact`}
          placeholder="Search contacts by email or name"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          // Inside the step's form: Enter here searches, it does not save the step.
          onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
        />
        {matches.length > 0 ? (
          <ul aria-label="Matching contacts" className="grid gap-0.5">
            {matches.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  className="text-left text-xs underline-offset-2 hover:underline"
                  onClick={() => {
                    setContactId(m.id ?? undefined);
                    setQuery("");
                  }}
                >
                  {m.label}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p className="text-xs text-muted-foreground" data-preview-contact="">
        Preview for {rendered?.contact.label ?? "…"}
        {rendered && rendered.contact.id === null ? " (a sample contact)" : null}
      </p>
      {problem ? <p className="text-xs text-destructive">{problem}</p> : null}
      <p>
        <span className="text-muted-foreground">From: </span>
        <span data-preview-from="">{rendered ? rendered.from : "…"}</span>
        {rendered?.replyTo ? <span className="text-muted-foreground"> · Reply-To: {rendered.replyTo}</span> : null}
      </p>
      <p>
        <span className="text-muted-foreground">Subject: </span>
        <span className="font-medium" data-preview-subject="">
          {rendered ? rendered.subject || "(no subject)" : "…"}
        </span>
      </p>
      <div className="flex gap-2 text-xs" role="group" aria-label="Part">
        <Button type="button" size="sm" variant={view === "html" ? "default" : "outline"} onClick={() => setView("html")}>
          HTML
        </Button>
        <Button type="button" size="sm" variant={view === "text" ? "default" : "outline"} onClick={() => setView("text")}>
          Plain text
        </Button>
      </div>
      {view === "html" ? (
        // No scripts, no same-origin access: the message is shown, never run.
        <iframe title="Email preview" sandbox="" srcDoc={rendered?.html ?? ""} className="h-96 w-full rounded border bg-white" data-preview-html="" />
      ) : (
        <div className="whitespace-pre-wrap" data-preview-body="">
          {rendered?.text}
        </div>
      )}
      <div>
        <Button type="button" variant="outline" pending={sending} onClick={sendTest} disabled={!subject.trim() || !body.trim()}>
          Send a test to me
        </Button>
      </div>
    </section>
  );
}
