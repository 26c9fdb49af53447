"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revealWebhookSecretAction } from "@/lib/actions/settings/reveal-webhook-secret-action";
import { rotateWebhookSecretAction } from "@/lib/actions/settings/rotate-webhook-secret-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";

/** Shows a signing secret once revealed (an audited action), and rotates it. */
export function WebhookSecret({ endpointId }: { endpointId: string }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function reveal() {
    startTransition(async () => {
      const result = await revealWebhookSecretAction({ id: endpointId });
      if (result.ok) setSecret(result.data.secret);
      else toast({ title: result.message, variant: "destructive" });
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      {secret ? (
        <Input readOnly value={secret} aria-label="Signing secret" className="max-w-md font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
      ) : (
        <Button type="button" variant="outline" size="sm" pending={pending} onClick={reveal}>
          Reveal secret
        </Button>
      )}
      <ConfirmDialog
        trigger={
          <Button type="button" variant="outline" size="sm">
            Rotate secret
          </Button>
        }
        title="Rotate the signing secret?"
        description="Deliveries from now on are signed with a new secret; your receiver must switch to it, or it will reject them."
        confirmLabel="Rotate"
        destructive
        onConfirm={async () => {
          const result = await rotateWebhookSecretAction({ id: endpointId });
          if (!result.ok) throw new Error(result.message);
          setSecret(result.data.secret);
          toast({ title: "Secret rotated: copy the new one", variant: "success" });
          router.refresh();
        }}
      />
    </div>
  );
}
