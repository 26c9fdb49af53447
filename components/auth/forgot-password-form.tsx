"use client";

import { useActionState } from "react";
import { requestPasswordResetAction, type RequestResetState } from "@/lib/actions/auth/request-password-reset-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function ForgotPasswordForm() {
  const [state, formAction, pending] = useActionState<RequestResetState, FormData>(requestPasswordResetAction, {});
  if (state.done) {
    return (
      <p className="text-sm" role="status">
        If an account uses this address, a link to choose a new password is on its way. It works once, for one hour.
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field label="Email" htmlFor="email" error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="username" required />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Send me a reset link
      </Button>
    </form>
  );
}
