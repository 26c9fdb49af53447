"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { resubscribeContactAction } from "@/lib/actions/contacts/resubscribe-contact-action";
import { unsubscribeContactAction } from "@/lib/actions/contacts/unsubscribe-contact-action";

/** Unsubscribe (ends every sequence) or resubscribe on the contact's behalf; both are recorded as consent events. */
export function SubscriptionControls({ contactId, status, label }: { contactId: string; status: string; label: string }) {
  const router = useRouter();
  if (status === "subscribed") {
    return (
      <ConfirmDialog
        trigger={<Button variant="outline" size="sm">Unsubscribe</Button>}
        title="Unsubscribe this contact?"
        description={`${label} will receive no more email, and every sequence they are in ends now. Only do this at their request; it is recorded in the consent history.`}
        confirmLabel="Unsubscribe"
        destructive
        onConfirm={async () => {
          const result = await unsubscribeContactAction({ contactId });
          if (!result.ok) throw new Error(result.message);
          toast({ title: `${label} unsubscribed`, variant: "success" });
          router.refresh();
        }}
      />
    );
  }
  // A bounced address cannot receive mail; resubscribing it would change nothing.
  if (status !== "unsubscribed") return null;
  return (
    <ConfirmDialog
      trigger={<Button variant="outline" size="sm">Resubscribe</Button>}
      title="Resubscribe this contact?"
      description={`Only with ${label}'s renewed consent: it is recorded in the consent history. Sequences they left are not restarted.`}
      confirmLabel="Resubscribe"
      onConfirm={async () => {
        const result = await resubscribeContactAction({ contactId });
        if (!result.ok) throw new Error(result.message);
        toast({ title: `${label} resubscribed`, variant: "success" });
        router.refresh();
      }}
    />
  );
}
