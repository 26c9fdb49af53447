"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { bulkAddTagAction } from "@/lib/actions/contacts/bulk-add-tag-action";
import type { TagContactsResult } from "@/lib/contacts/tag-contacts";
import type { FieldErrors } from "@/lib/errors";

type Question = { tagName: string; sequences: string[]; selected: number };
export type AddTagOutcome =
  | { kind: "applied"; result: Extract<TagContactsResult, { status: "applied" }> }
  | { kind: "cancelled" }
  | { kind: "error"; message: string; fieldErrors?: FieldErrors };

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/**
 * Adds a tag; when the tag has live entry triggers (it would enroll and
 * email contacts), first asks in a dialog. Render `dialog` once.
 */
export function useAddTag() {
  const [question, setQuestion] = useState<Question | null>(null);
  const answer = useRef<((confirmed: boolean) => void) | null>(null);

  function ask(q: Question): Promise<boolean> {
    setQuestion(q);
    return new Promise((resolve) => {
      answer.current = resolve;
    });
  }
  function reply(confirmed: boolean) {
    answer.current?.(confirmed);
    answer.current = null;
    setQuestion(null);
  }

  async function addTag(contactIds: string[], tagName: string): Promise<AddTagOutcome> {
    let response = await bulkAddTagAction({ contactIds, tagName });
    if (response.ok && response.data.status === "needs_confirmation") {
      const { sequences } = response.data;
      if (!(await ask({ tagName: response.data.tagName, sequences: sequences.map((s) => s.name), selected: contactIds.length }))) return { kind: "cancelled" };
      response = await bulkAddTagAction({ contactIds, tagName, confirmTriggers: true });
    }
    if (!response.ok) return { kind: "error", message: response.message, fieldErrors: response.fieldErrors };
    // Confirmed, so this call applied it (a refusal would be an error).
    if (response.data.status !== "applied") return { kind: "error", message: "The tag was not added. Please try again." };
    return { kind: "applied", result: response.data };
  }

  const dialog = (
    <Dialog open={question !== null} onOpenChange={(open) => (open ? undefined : reply(false))}>
      <DialogContent hideCloseButton>
        {question ? (
          <>
            <DialogHeader>
              <DialogTitle>Adding &ldquo;{question.tagName}&rdquo; enrolls contacts</DialogTitle>
              <DialogDescription data-tag-trigger-warning="">
                &ldquo;{question.tagName}&rdquo; is an entry trigger of {question.sequences.length === 1 ? "the live sequence" : "the live sequences"}{" "}
                {question.sequences.join(", ")}. {question.selected === 1 ? "This contact is" : `Those of the ${plural(question.selected, "selected contact")} who do not have the tag yet are`}{" "}
                enrolled and start receiving its emails.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => reply(false)}>
                Cancel
              </Button>
              <Button type="button" onClick={() => reply(true)}>
                Add tag and enroll
              </Button>
            </DialogFooter>
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );

  return { addTag, dialog };
}
