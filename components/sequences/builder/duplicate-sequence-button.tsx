"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { duplicateSequenceAction } from "@/lib/actions/sequences/duplicate-sequence-action";
import { toastResult } from "./action-feedback";

/** Copies the sequence as a draft and opens the copy. */
export function DuplicateSequenceButton({ sequenceId, label }: { sequenceId: string; label?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      variant="outline"
      size={label ? "sm" : "default"}
      pending={pending}
      aria-label={label}
      onClick={() =>
        startTransition(async () => {
          const result = await duplicateSequenceAction({ sequenceId });
          if (toastResult(result, "Copy created as a draft")) router.push(`/sequences/${result.data.id}`);
        })
      }
    >
      Duplicate
    </Button>
  );
}
