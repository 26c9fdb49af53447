"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toast";
import { deleteContactAction } from "@/lib/actions/contacts/delete-contact-action";

export function DeleteContactButton({ contactId, label }: { contactId: string; label: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={<Button variant="destructive">Delete contact</Button>}
      title="Delete this contact?"
      description={`${label} disappears from the contact list and leaves every sequence they are in (reason: contact deleted). This cannot be undone from the admin.`}
      confirmLabel="Delete contact"
      destructive
      onConfirm={async () => {
        const result = await deleteContactAction({ contactId });
        if (!result.ok) throw new Error(result.message);
        toast({
          title: `${label} deleted`,
          description: result.data.exited ? `Removed from ${result.data.exited} sequence${result.data.exited === 1 ? "" : "s"}.` : undefined,
          variant: "success",
        });
        router.push("/contacts");
      }}
    />
  );
}
