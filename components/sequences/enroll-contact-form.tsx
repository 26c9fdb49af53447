"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { enrollContactAction } from "@/lib/actions/sequences/enroll-contact-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { useRefreshSequenceStats } from "./builder/sequence-stats-query";

export function EnrollContactForm({ sequenceId }: { sequenceId: string }) {
  const router = useRouter();
  const refreshStats = useRefreshSequenceStats(sequenceId);
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await enrollContactAction({ sequenceId, email });
      if (result.ok) {
        setError(undefined);
        setEmail("");
        toast({ title: result.data.message, variant: "success" });
        router.refresh();
        refreshStats();
      } else {
        setError(result.fieldErrors?.email?.[0] ?? result.message);
      }
    });
  }

  return (
    <form onSubmit={submit} className="flex items-end gap-2" noValidate>
      <Field label="Enroll a contact by email" htmlFor="enroll-email" error={error} className="flex-1">
        <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ada@example.com" />
      </Field>
      <Button type="submit" pending={pending} disabled={!email}>
        Enroll
      </Button>
    </form>
  );
}
