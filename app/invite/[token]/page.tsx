import type { Metadata } from "next";
import Link from "next/link";
import { NewPasswordForm } from "@/components/auth/new-password-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { peekUserToken } from "@/lib/team/tokens";

export const metadata: Metadata = { title: "Join the team", referrer: "no-referrer" };

/** Public by design: the signed, single-use invitation link is what lets the visitor in. */
export default async function AcceptInvitePage({ params }: { params: Promise<{ token: string }> }) {
  const token = decodeURIComponent((await params).token);
  const invite = await peekUserToken(getDb(), "invite", token);
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-xl font-semibold">Join the team on Stepwise</h1>
          <CardDescription>
            {invite
              ? `You were invited as ${ROLE_LABELS[invite.role ?? "viewer"]} with ${invite.email}. Choose your name and a password.`
              : "This invitation link is not valid any more: it was used, replaced by a newer one, or it expired. Ask an admin for a new one."}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {invite ? <NewPasswordForm token={token} kind="invite" email={invite.email} /> : null}
          <Link href="/login" className="block text-sm text-primary hover:underline">
            Sign in instead
          </Link>
        </CardContent>
      </Card>
    </main>
  );
}
