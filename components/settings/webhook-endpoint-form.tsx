"use client";

import { useState, useTransition } from "react";
import { createWebhookEndpointAction } from "@/lib/actions/settings/create-webhook-endpoint-action";
import { updateWebhookEndpointAction } from "@/lib/actions/settings/update-webhook-endpoint-action";
import { OUTBOUND_EVENT_TYPES, OUTBOUND_EVENT_WORDINGS, type OutboundEventType } from "@/lib/outbound-webhooks/event-types";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Values = { url: string; description: string; events: string[] };
type FieldErrors = Partial<Record<"url" | "description" | "events" | "_", string[]>>;

/** Add or edit an endpoint: URL, description, events. The same zod schema checks it on the server. */
export function WebhookEndpointForm({ endpointId, initial, onDone, onCancel }: { endpointId?: string; initial?: Values; onDone: (result: { secret?: string }) => void; onCancel: () => void }) {
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [events, setEvents] = useState<string[]>(initial?.events ?? ["contact.enrolled", "contact.exited"]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function toggle(type: OutboundEventType, on: boolean) {
    setEvents((current) => (on ? [...current, type] : current.filter((t) => t !== type)));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const input = { url, description, events: events as OutboundEventType[] };
      const result = endpointId ? await updateWebhookEndpointAction({ id: endpointId, ...input }) : await createWebhookEndpointAction(input);
      if (result.ok) {
        setErrors({});
        const data = result.data as { secret?: string };
        onDone({ secret: data.secret });
      } else {
        setErrors((result.fieldErrors ?? {}) as FieldErrors);
        setMessage(result.fieldErrors ? null : result.message);
      }
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <Field label="Endpoint URL" htmlFor="webhook-url" error={errors.url} hint="Where Stepwise POSTs the events: an https:// URL your system answers with a 2xx.">
        <Input value={url} onChange={(e) => setUrl(e.target.value)} maxLength={2000} placeholder="https://example.com/webhooks/stepwise" autoFocus />
      </Field>
      <Field label="Description" htmlFor="webhook-description" error={errors.description} hint="Optional: what receives them, e.g. “CRM sync”.">
        <Input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
      </Field>
      <fieldset className="grid gap-2" aria-describedby={errors.events ? "webhook-events-error" : undefined}>
        <legend className="mb-1 text-sm font-medium">Events</legend>
        {OUTBOUND_EVENT_TYPES.map((type) => (
          <label key={type} className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4" checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
            <span>
              <code className="text-xs">{type}</code> <span className="text-muted-foreground">{OUTBOUND_EVENT_WORDINGS[type]}</span>
            </span>
          </label>
        ))}
        {errors.events ? (
          <p id="webhook-events-error" className="text-sm text-destructive">
            {errors.events[0]}
          </p>
        ) : null}
      </fieldset>
      {message ? (
        <p role="alert" className="text-sm text-destructive">
          {message}
        </p>
      ) : null}
      <DialogFooter>
        <Button type="button" variant="outline" disabled={pending} onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          {endpointId ? "Save" : "Add endpoint"}
        </Button>
      </DialogFooter>
    </form>
  );
}
