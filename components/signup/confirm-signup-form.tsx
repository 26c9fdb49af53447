"use client";

import { useActionState } from "react";
import { confirmSignupAction, type ConfirmSignupState } from "@/lib/actions/signup/confirm-signup-action";
import { Button } from "@/components/ui/button";

export function ConfirmSignupForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState<ConfirmSignupState, FormData>(confirmSignupAction, {});
  if (state.status) {
    return (
      <p role="status" className="text-sm">
        {state.status === "confirmed" ? "Thanks, your subscription is confirmed." : "Your subscription was already confirmed."}
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state.message ? (
        <p data-form-error className="text-sm font-medium text-destructive">
          {state.message}
        </p>
      ) : null}
      <Button type="submit" className="w-full" pending={pending}>
        Confirm my subscription
      </Button>
    </form>
  );
}
