"use client";

import { useActionState } from "react";
import { signUpAction, type SignUpState } from "@/lib/actions/signup/sign-up-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function SignupForm({ source }: { source?: string }) {
  const [state, formAction, pending] = useActionState<SignUpState, FormData>(signUpAction, {});

  if (state.done) {
    return (
      <p role="status" className="text-sm">
        Thanks! Check your inbox: if this address can receive our email, a message is on its way (to confirm it, if asked).
      </p>
    );
  }

  return (
    <form action={formAction} className="space-y-4" noValidate>
      {source ? <input type="hidden" name="source" value={source} /> : null}
      <Field label="Email" htmlFor="signup-email" error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} placeholder="ada@example.com" />
      </Field>
      <Field label="First name (optional)" htmlFor="signup-first-name" error={state.fieldErrors?.firstName}>
        <Input name="firstName" autoComplete="given-name" defaultValue={state.values?.firstName} />
      </Field>
      {state.message || state.fieldErrors?.source ? (
        <p role="alert" className="text-sm font-medium text-destructive">
          {state.message ?? state.fieldErrors?.source?.[0]}
        </p>
      ) : null}
      <Button type="submit" className="w-full" pending={pending}>
        Sign up
      </Button>
    </form>
  );
}
