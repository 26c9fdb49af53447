import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { SequenceSettingsForm } from "@/components/sequences/builder/sequence-settings-form";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { replyDetectionConfigured } from "@/lib/replies/detection";
import { getDb } from "@/lib/db/client";
import { listSenderOptions } from "@/lib/senders/queries";

export const metadata: Metadata = { title: "New sequence" };

export default async function NewSequencePage() {
  const user = await getCurrentUser();
  if (!user || !hasRole(user.role, "marketer")) {
    return (
      <EmptyState
        title="You cannot create sequences"
        description="Your account is read-only. Ask an admin for marketer access."
        action={<Link href="/sequences" className="text-primary hover:underline">Back to sequences</Link>}
      />
    );
  }
  return (
    <>
      <PageHeader title="New sequence" description="Name it and set its exit rules; add steps and triggers next." />
      <Card className="max-w-2xl">
        <CardContent className="pt-6">
          <SequenceSettingsForm mode="create" replyDetection={await replyDetectionConfigured(getDb())} senders={await listSenderOptions()} />
        </CardContent>
      </Card>
    </>
  );
}
