import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { ReplyDetectionSettings } from "@/components/settings/reply-detection-settings";
import { ApiKeys } from "@/components/settings/api-keys";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { TeamMembers } from "@/components/settings/team-members";
import { MailboxesSettings } from "@/components/settings/mailboxes-settings";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { listApiKeysForAdmin } from "@/lib/api-keys/queries";
import { hasRole, ROLE_LABELS } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listTeam } from "@/lib/team/members";
import { replyDetectionConfigured } from "@/lib/replies/detection";
import { listMailboxes } from "@/lib/mailbox/settings";
import { autoDisabledEndpoints } from "@/lib/outbound-webhooks/notices";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser("viewer");
  const team = hasRole(user.role, "admin") ? await listTeam(getDb()) : null;
  const apiKeys = hasRole(user.role, "admin") ? await listApiKeysForAdmin() : null;
  const mailboxes = hasRole(user.role, "admin") ? await listMailboxes(getDb()) : null;
  const disabledWebhooks = hasRole(user.role, "admin") ? await autoDisabledEndpoints(getDb()) : [];
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Your account</CardTitle>
            <CardDescription>
              {user.name} · {user.email} · {ROLE_LABELS[user.role]}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ChangePasswordForm />
          </CardContent>
        </Card>
        <ReplyDetectionSettings configured={await replyDetectionConfigured(getDb())} />
        {team ? (
          <Card>
            <CardHeader>
              <CardTitle>Team</CardTitle>
              <CardDescription>Viewers can read everything; marketers also edit sequences and contacts; admins manage the team, API keys and settings. See docs/team.md.</CardDescription>
            </CardHeader>
            <CardContent>
              <TeamMembers users={team.users} invites={team.invites} currentUserId={user.id} />
            </CardContent>
          </Card>
        ) : null}
        {team ? (
          <Card>
            <CardHeader>
              <CardTitle>Audit log</CardTitle>
              <CardDescription>
                Who changed what, when and from where. <Link href="/settings/audit" className="text-primary hover:underline">Open the audit log</Link>
              </CardDescription>
            </CardHeader>
          </Card>
        ) : null}
        {team ? (
          <Card>
            <CardHeader>
              <CardTitle>Senders</CardTitle>
              <CardDescription>
                The names and addresses sequence emails are from, and the default. <Link href="/settings/senders" className="text-primary hover:underline">Manage senders</Link>
              </CardDescription>
            </CardHeader>
          </Card>
        ) : null}
        {team ? (
          <Card>
            <CardHeader>
              <CardTitle>Webhooks</CardTitle>
              <CardDescription>
                Send enrollments, sends, exits, opt-outs, replies and bounces to your other systems as they happen.{" "}
                <Link href="/settings/webhooks" className="text-primary hover:underline">
                  Manage webhooks
                </Link>
              </CardDescription>
            </CardHeader>
            {disabledWebhooks.length > 0 ? (
              <CardContent>
                <div role="alert" className="rounded-md border border-destructive p-3 text-sm">
                  {disabledWebhooks.map((e) => (
                    <p key={e.id}>
                      <Link href={`/settings/webhooks/${e.id}`} className="font-medium hover:underline">
                        {e.url}
                      </Link>{" "}
                      was disabled: {e.disabledReason}. Fix the receiver, then enable it again.
                    </p>
                  ))}
                </div>
              </CardContent>
            ) : null}
          </Card>
        ) : null}
        {apiKeys ? (
          <Card>
            <CardHeader>
              <CardTitle>API keys</CardTitle>
              <CardDescription>
                Keys for the JSON API (<code>/api/v1</code>): send <code>Authorization: Bearer &lt;key&gt;</code>. See docs/api.md.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <ApiKeys keys={apiKeys} />
            </CardContent>
          </Card>
        ) : null}
        {mailboxes ? (
          <Card>
            <CardHeader>
              <CardTitle>Mailboxes for replies and bounces</CardTitle>
              <CardDescription>
                Connect each sender&apos;s mailbox, the one replies to its emails arrive in: a reply ends exit-on-reply sequences, a bounce stops mail to the address. Each is read every minute over IMAP, on its own; a reply counts whichever mailbox it arrives in. See docs/mailbox.md.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <MailboxesSettings entries={mailboxes} />
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
