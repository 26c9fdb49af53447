"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createApiKeyAction } from "@/lib/actions/settings/create-api-key-action";
import { revokeApiKeyAction } from "@/lib/actions/settings/revoke-api-key-action";
import type { ApiKeySummary } from "@/lib/api-keys/manage";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";

export function ApiKeys({ keys }: { keys: ApiKeySummary[] }) {
  return (
    <div className="grid gap-4">
      <div>
        <CreateApiKeyDialog />
      </div>
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet" description="Create a key to call the JSON API from your CRM, forms or scripts." />
      ) : (
        <Table aria-label="API keys">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((key) => (
              <TableRow key={key.id}>
                <TableCell>{key.name}</TableCell>
                <TableCell>
                  <code className="text-xs">{key.prefix}…</code>
                </TableCell>
                <TableCell>{formatDateTime(key.createdAt)}</TableCell>
                <TableCell>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</TableCell>
                <TableCell>
                  {key.revokedAt ? <Badge variant="secondary">revoked</Badge> : <Badge variant="success">active</Badge>}
                </TableCell>
                <TableCell className="text-right">{key.revokedAt ? null : <RevokeButton id={key.id} name={key.name} />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function CreateApiKeyDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) {
      // The key is gone for good once the dialog closes.
      setCreated(null);
      setName("");
      setError(undefined);
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createApiKeyAction({ name });
      if (result.ok) {
        setCreated(result.data.key);
        setError(undefined);
        router.refresh();
      } else {
        setError(result.fieldErrors?.name?.[0] ?? result.message);
      }
    });
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created);
      toast({ title: "API key copied", variant: "success" });
    } catch {
      toast({ title: "Could not copy; select the key and copy it by hand", variant: "destructive" });
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>Create API key</Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy your new API key</DialogTitle>
              <DialogDescription>This is the only time the key is shown. Store it somewhere safe; if you lose it, revoke it and create another.</DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2">
              <Input readOnly value={created} aria-label="New API key" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
              <Button type="button" variant="outline" onClick={copy}>
                Copy
              </Button>
            </div>
            <DialogFooter>
              <Button type="button" onClick={() => onOpenChange(false)}>
                Done
              </Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>Create API key</DialogTitle>
              <DialogDescription>Keys have full access to contacts and enrollments through the JSON API.</DialogDescription>
            </DialogHeader>
            <Field label="Name" htmlFor="api-key-name" error={error} hint="What uses it, e.g. “CRM sync”.">
              <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />
            </Field>
            <DialogFooter>
              <Button type="button" variant="outline" disabled={pending} onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" pending={pending} disabled={!name.trim()}>
                Create key
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RevokeButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          Revoke
        </Button>
      }
      title={`Revoke “${name}”?`}
      description="Requests using this key are refused at once. This cannot be undone."
      confirmLabel="Revoke key"
      destructive
      onConfirm={async () => {
        const result = await revokeApiKeyAction({ id });
        if (!result.ok) throw new Error(result.message);
        toast({ title: `API key “${name}” revoked`, variant: "success" });
        router.refresh();
      }}
    />
  );
}
