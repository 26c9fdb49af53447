"use client";

import type { z } from "zod";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { FieldErrors } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validations/parse";

/** Client-side check with the action's own schema, before any request. */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.infer<S> } | { ok: false; fieldErrors: FieldErrors } {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** Toasts an action's outcome: the success title, or the server's message. */
export function toastResult<T>(result: ActionResult<T>, success?: string): result is { ok: true; data: T } {
  if (result.ok) {
    if (success) toast({ title: success, variant: "success" });
    return true;
  }
  toast({ title: result.message, variant: "destructive" });
  return false;
}
