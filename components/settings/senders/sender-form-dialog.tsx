"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { createSenderAction } from "@/lib/actions/settings/create-sender-action";
import { updateSenderAction } from "@/lib/actions/settings/update-sender-action";
import type { FieldErrors } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validations/parse";
import { ZSenderFields } from "@/lib/validations/sender";

type Values = { fromName: string; fromAddress: string; replyTo: string };
const EMPTY: Values = { fromName: "", fromAddress: "", replyTo: "" };

/** Adds a sender, or (with `sender`) edits one. */
export function SenderFormDialog({ sender }: { sender?: { id: string; fromName: string; fromAddress: string; replyTo: string | null } }) {
  const router = useRouter();
  const initial = sender ? { fromName: sender.fromName, fromAddress: sender.fromAddress, replyTo: sender.replyTo ?? "" } : EMPTY;
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof Values, value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (next) {
      setValues(initial);
      setErrors({});
      setMessage(null);
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const checked = ZSenderFields.safeParse(values);
    if (!checked.success) return setErrors(fieldErrorsOf(checked.error));
    startTransition(async () => {
      const result = sender ? await updateSenderAction({ ...values, senderId: sender.id }) : await createSenderAction(values);
      if (result.ok) {
        toast({ title: sender ? "Sender saved" : "Sender added", variant: "success" });
        setOpen(false);
        router.refresh();
      } else {
        setErrors(result.fieldErrors ?? {});
        setMessage(result.fieldErrors ? null : result.message);
      }
    });
  }

  const prefix = sender ? `sender-${sender.id}` : "sender-new";
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {sender ? (
          <Button variant="outline" size="sm">
            Edit
          </Button>
        ) : (
          <Button>Add sender</Button>
        )}
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} className="grid gap-4" noValidate aria-label={sender ? "Edit sender" : "Add sender"}>
          <DialogHeader>
            <DialogTitle>{sender ? "Edit sender" : "Add sender"}</DialogTitle>
            <DialogDescription>Sequences using this sender send as it from their next step.</DialogDescription>
          </DialogHeader>
          <Field label="From name" htmlFor={`${prefix}-name`} error={errors.fromName} hint="What recipients see, e.g. “Sam at Acme”.">
            <Input value={values.fromName} onChange={(e) => set("fromName", e.target.value)} maxLength={100} autoFocus />
          </Field>
          <Field label="From address" htmlFor={`${prefix}-address`} error={errors.fromAddress}>
            <Input type="email" value={values.fromAddress} onChange={(e) => set("fromAddress", e.target.value)} maxLength={254} />
          </Field>
          <Field label="Reply-to address" htmlFor={`${prefix}-reply-to`} error={errors.replyTo} hint="Optional: where replies go, if not to the from address.">
            <Input type="email" value={values.replyTo} onChange={(e) => set("replyTo", e.target.value)} maxLength={254} />
          </Field>
          {message ? <p className="text-sm text-destructive">{message}</p> : null}
          <DialogFooter>
            <Button type="button" variant="outline" disabled={pending} onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              {sender ? "Save sender" : "Add sender"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
