"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { WebhookEndpointForm } from "./webhook-endpoint-form";

/** Edit an endpoint's URL, description and events in a dialog. */
export function EditWebhookEndpoint({ endpoint }: { endpoint: { id: string; url: string; description: string; events: string[] } }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" className="w-fit">
          Edit endpoint and events
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Edit webhook endpoint</DialogTitle>
          <DialogDescription>Changes apply to events from now on; deliveries already queued keep going.</DialogDescription>
        </DialogHeader>
        <WebhookEndpointForm
          endpointId={endpoint.id}
          initial={endpoint}
          onCancel={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            toast({ title: "Endpoint saved", variant: "success" });
            router.refresh();
          }}
        />
      </DialogContent>
    </Dialog>
  );
}
