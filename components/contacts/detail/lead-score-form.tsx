"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { setLeadScoreAction } from "@/lib/actions/contacts/set-lead-score-action";

/** Sets the lead score; raising it past a trigger's threshold enrolls the contact. */
export function LeadScoreForm({ contactId, score }: { contactId: string; score: number }) {
  const router = useRouter();
  const [value, setValue] = useState(String(score));
  const [error, setError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const next = value.trim() === "" ? Number.NaN : Number(value);
    startTransition(async () => {
      const result = await setLeadScoreAction({ contactId, score: next });
      if (!result.ok) {
        setError(result.fieldErrors?.score?.[0] ?? result.message);
        return;
      }
      setError(undefined);
      toast({ title: `Lead score set to ${result.data.score}`, variant: "success" });
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="flex items-end gap-2" noValidate>
      <Field label="Lead score" htmlFor="contact-lead-score" error={error} className="w-40">
        <Input type="number" step={1} value={value} onChange={(e) => setValue(e.target.value)} />
      </Field>
      <Button type="submit" variant="outline" pending={pending} disabled={value === String(score)}>
        Set score
      </Button>
    </form>
  );
}
