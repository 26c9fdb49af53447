"use client";

import { useActionState } from "react";
import { resubscribeAction } from "@/lib/actions/unsubscribe/resubscribe-action";
import { unsubscribeAction, type SubscriptionActionState } from "@/lib/actions/unsubscribe/unsubscribe-action";
import { Button } from "@/components/ui/button";

type Status = "subscribed" | "unsubscribed";

/** The newer of two action results (each form has its own), else the page's status. */
function currentStatus(initial: Status, ...states: SubscriptionActionState[]): Status {
  let latest: { status: Status; at: number } | null = null;
  for (const state of states) if (state?.ok && (!latest || state.data.at > latest.at)) latest = state.data;
  return latest?.status ?? initial;
}

/**
 * Asks before unsubscribing, confirms after, and offers to resubscribe.
 * Both changes are form POSTs to server actions: opening the page (as link
 * scanners do) changes nothing.
 */
export function SubscriptionForm({ token, maskedEmail, senderName, initialStatus }: {
  token: string;
  maskedEmail: string;
  senderName: string;
  initialStatus: Status;
}) {
  const [unsubscribed, unsubscribe, unsubscribing] = useActionState<SubscriptionActionState, FormData>(unsubscribeAction, null);
  const [resubscribed, resubscribe, resubscribing] = useActionState<SubscriptionActionState, FormData>(resubscribeAction, null);
  const status = currentStatus(initialStatus, unsubscribed, resubscribed);
  // The visible form's own result is the one whose failure is worth showing.
  const visible = status === "subscribed" ? unsubscribed : resubscribed;
  const error = visible && !visible.ok ? visible.message : null;
  const justChanged = Boolean(unsubscribed?.ok || resubscribed?.ok);

  return (
    <div className="space-y-4">
      <div role="status" aria-live="polite" className="space-y-2 text-sm">
        {status === "subscribed" ? (
          <p>
            {justChanged ? "You are subscribed again. " : null}
            Unsubscribe <strong className="font-medium">{maskedEmail}</strong> from all emails from {senderName}?
          </p>
        ) : (
          <>
            <p className="rounded-md bg-success px-3 py-2 text-success-foreground">
              <strong className="font-medium">{maskedEmail}</strong> is unsubscribed. You will receive no more emails from {senderName}.
            </p>
            <p className="text-muted-foreground">Unsubscribed by mistake? You can resubscribe below.</p>
          </>
        )}
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-destructive-subtle px-3 py-2 text-sm text-destructive">
          {error}
        </p>
      ) : null}
      {status === "subscribed" ? (
        <form action={unsubscribe}>
          <input type="hidden" name="token" value={token} />
          <Button type="submit" variant="destructive" className="w-full" pending={unsubscribing}>
            Unsubscribe
          </Button>
        </form>
      ) : (
        <form action={resubscribe}>
          <input type="hidden" name="token" value={token} />
          <Button type="submit" variant="outline" className="w-full" pending={resubscribing}>
            Resubscribe
          </Button>
        </form>
      )}
    </div>
  );
}
