"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { removeMailboxAction } from "@/lib/actions/settings/remove-mailbox-action";
import { saveMailboxAction } from "@/lib/actions/settings/save-mailbox-action";
import { testMailboxAction } from "@/lib/actions/settings/test-mailbox-action";
import type { ConnectionTest, MailboxView } from "@/lib/mailbox/settings";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/components/ui/toast";

type Errors = Record<string, string[] | undefined>;

/** One sender's mailbox: its settings form, "Test connection" and "Disconnect". */
export function MailboxSettings({ senderId, mailbox }: { senderId: string | null; mailbox: MailboxView | null }) {
  const router = useRouter();
  const [form, setForm] = useState({
    host: mailbox?.host ?? "",
    port: String(mailbox?.port ?? 993),
    tls: mailbox?.tls ?? true,
    username: mailbox?.username ?? "",
    authMethod: (mailbox?.authMethod ?? "password") as "password" | "oauth2",
    secret: "",
    folder: mailbox?.folder ?? "INBOX",
    oauthTokenUrl: mailbox?.oauthTokenUrl ?? "",
    oauthClientId: mailbox?.oauthClientId ?? "",
    oauthClientSecret: "",
    oauthRefreshToken: "",
  });
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | undefined>();
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [key]: e.target.value });

  function runTest() {
    startTransition(async () => {
      const result = await testMailboxAction({ senderId });
      setTest(result.ok ? result.data : { ok: false, error: result.message });
    });
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await saveMailboxAction({
        senderId,
        ...form,
        port: Number(form.port),
        secret: form.secret || undefined,
        oauthClientSecret: form.oauthClientSecret || undefined,
        oauthRefreshToken: form.oauthRefreshToken || undefined,
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setMessage(result.message);
        return;
      }
      setErrors({});
      setMessage(undefined);
      setForm({ ...form, secret: "", oauthClientSecret: "", oauthRefreshToken: "" });
      toast({ title: "Mailbox saved", variant: "success" });
      const tested = await testMailboxAction({ senderId });
      setTest(tested.ok ? tested.data : { ok: false, error: tested.message });
      router.refresh();
    });
  }

  return (
    <div className="grid gap-4">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="Mailbox settings">
        <Field label="IMAP server" htmlFor="mailbox-host" error={errors.host} hint="e.g. imap.gmail.com, outlook.office365.com">
          <Input value={form.host} onChange={set("host")} maxLength={253} />
        </Field>
        <Field label="Port" htmlFor="mailbox-port" error={errors.port} hint="993 with TLS; 143 without">
          <Input value={form.port} onChange={set("port")} inputMode="numeric" maxLength={5} />
        </Field>
        <Field label="User name" htmlFor="mailbox-username" error={errors.username} hint="Usually the mailbox's address">
          <Input value={form.username} onChange={set("username")} maxLength={320} autoComplete="off" />
        </Field>
        <Field label="Sign in with" htmlFor="mailbox-auth" error={errors.authMethod}>
          <NativeSelect value={form.authMethod} onChange={set("authMethod")}>
            <option value="password">Password (or app password)</option>
            <option value="oauth2">OAuth2 access token (XOAUTH2)</option>
          </NativeSelect>
        </Field>
        <Field
          label={form.authMethod === "oauth2" ? "Access token" : "Password"}
          htmlFor="mailbox-secret"
          error={errors.secret}
          hint={mailbox ? "Leave blank to keep the stored one. Stored encrypted; never shown again." : "Stored encrypted; never shown again."}
        >
          <Input type="password" value={form.secret} onChange={set("secret")} maxLength={8192} autoComplete="new-password" />
        </Field>
        {form.authMethod === "oauth2" ? (
          <>
            <Field
              label="Token endpoint (for refresh)"
              htmlFor="mailbox-oauth-url"
              error={errors.oauthTokenUrl}
              hint="Optional. e.g. https://oauth2.googleapis.com/token or https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token. Blank: the access token is used until it expires."
            >
              <Input value={form.oauthTokenUrl} onChange={set("oauthTokenUrl")} maxLength={2000} />
            </Field>
            <Field label="Client id" htmlFor="mailbox-oauth-client" error={errors.oauthClientId}>
              <Input value={form.oauthClientId} onChange={set("oauthClientId")} maxLength={500} autoComplete="off" />
            </Field>
            <Field label="Client secret" htmlFor="mailbox-oauth-secret" error={errors.oauthClientSecret} hint={mailbox?.refreshes ? "Leave blank to keep the stored one." : "Stored encrypted."}>
              <Input type="password" value={form.oauthClientSecret} onChange={set("oauthClientSecret")} maxLength={2000} autoComplete="new-password" />
            </Field>
            <Field label="Refresh token" htmlFor="mailbox-oauth-refresh" error={errors.oauthRefreshToken} hint={mailbox?.refreshes ? "Leave blank to keep the stored one." : "Stored encrypted."}>
              <Input type="password" value={form.oauthRefreshToken} onChange={set("oauthRefreshToken")} maxLength={8192} autoComplete="new-password" />
            </Field>
          </>
        ) : null}
        <Field label="Folder" htmlFor="mailbox-folder" error={errors.folder} hint="Where replies and bounces arrive">
          <Input value={form.folder} onChange={set("folder")} maxLength={200} />
        </Field>
        <Field label="TLS (port 993)" htmlFor="mailbox-tls" hint="Off: STARTTLS when the server offers it">
          <Switch checked={form.tls} onCheckedChange={(tls) => setForm({ ...form, tls })} />
        </Field>
        {message ? (
          <p role="alert" className="text-sm text-destructive sm:col-span-2">
            {message}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2 sm:col-span-2">
          <Button type="submit" pending={pending}>
            {mailbox ? "Save and test" : "Connect and test"}
          </Button>
          {mailbox ? (
            <Button type="button" variant="outline" disabled={pending} onClick={runTest}>
              Test connection
            </Button>
          ) : null}
          {mailbox ? <DisconnectButton senderId={senderId} /> : null}
        </div>
      </form>

      {test ? (
        <div role="status" aria-label="Connection test" className="rounded-md border p-3 text-sm">
          {test.ok ? (
            <>
              <p>
                Connected. {test.folder} holds {test.messages} message{test.messages === 1 ? "" : "s"}.
              </p>
              <p className="text-muted-foreground">Folders: {test.folders.join(", ")}</p>
            </>
          ) : (
            <p className="text-destructive">{test.error}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}

function DisconnectButton({ senderId }: { senderId: string | null }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" variant="outline">
          Disconnect
        </Button>
      }
      title="Disconnect the mailbox?"
      description="Replies and bounces in it are no longer read. Its settings and stored password are deleted."
      confirmLabel="Disconnect"
      destructive
      onConfirm={async () => {
        const result = await removeMailboxAction({ senderId });
        if (!result.ok) throw new Error(result.message);
        toast({ title: "Mailbox disconnected", variant: "success" });
        router.refresh();
      }}
    />
  );
}
