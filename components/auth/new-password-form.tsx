"use client";

import { useActionState } from "react";
import { acceptInviteAction, type AcceptInviteState } from "@/lib/actions/auth/accept-invite-action";
import { resetPasswordAction, type ResetPasswordState } from "@/lib/actions/auth/reset-password-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type State = AcceptInviteState & ResetPasswordState;

/** Choosing a password from a link: accepting an invitation (with a name) or resetting. */
export function NewPasswordForm({ token, kind, email }: { token: string; kind: "invite" | "reset"; email: string }) {
  const action = kind === "invite" ? acceptInviteAction : resetPasswordAction;
  const [state, formAction, pending] = useActionState<State, FormData>(action, {});
  const tokenError = state.fieldErrors?.token?.[0];
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="email" value={email} autoComplete="username" />
      {kind === "invite" ? (
        <Field label="Your name" htmlFor="name" error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="name" required />
        </Field>
      ) : null}
      <Field label="New password" htmlFor="password" error={state.fieldErrors?.password} hint="At least 12 characters; common passwords are refused.">
        <Input name="password" type="password" autoComplete="new-password" required />
      </Field>
      {state.message || tokenError ? (
        <p className="text-sm text-destructive" data-form-error>
          {state.message ?? tokenError}
        </p>
      ) : null}
      <Button type="submit" className="w-full" pending={pending}>
        {kind === "invite" ? "Join the team" : "Set the new password"}
      </Button>
    </form>
  );
}
