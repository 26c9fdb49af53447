import type { MailboxView } from "@/lib/mailbox/settings";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";

/** A mailbox's state: connected or the error in words, last read, messages read, replies and bounces matched. */
export function MailboxState({ label, mailbox }: { label: string; mailbox: MailboxView }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" aria-label={`Mailbox state: ${label}`}>
      <dt className="text-muted-foreground">State</dt>
      <dd>
        {mailbox.lastError ? (
          <Badge variant="destructive">error</Badge>
        ) : mailbox.lastReadAt ? (
          <Badge variant="success">connected</Badge>
        ) : (
          <Badge variant="secondary">not read yet</Badge>
        )}
      </dd>
      <dt className="text-muted-foreground">Last read</dt>
      <dd>{mailbox.lastReadAt ? formatDateTime(mailbox.lastReadAt) : "Not yet"}</dd>
      <dt className="text-muted-foreground">Messages read</dt>
      <dd>{mailbox.messagesRead}</dd>
      <dt className="text-muted-foreground">Replies / bounces matched</dt>
      <dd>
        {mailbox.repliesMatched} / {mailbox.bouncesMatched}
      </dd>
      <dt className="text-muted-foreground">Account</dt>
      <dd className="sm:col-span-3 break-all">
        {mailbox.username} at {mailbox.host}:{mailbox.port}, {mailbox.folder}
      </dd>
      {mailbox.refreshes ? (
        <>
          <dt className="text-muted-foreground">Access token</dt>
          <dd className="sm:col-span-3">
            refreshed automatically{mailbox.accessTokenExpiresAt ? `; the current one expires ${formatDateTime(mailbox.accessTokenExpiresAt)}` : ""}
          </dd>
        </>
      ) : null}
      {mailbox.lastError ? <dd className="col-span-full text-destructive">{mailbox.lastError}</dd> : null}
    </dl>
  );
}
