import type { Metadata } from "next";
import { PageHeader } from "@/components/admin-shell/page-header";
import { SenderList } from "@/components/settings/senders/sender-list";
import { listSendersForAdmin } from "@/lib/senders/queries";

export const metadata: Metadata = { title: "Senders" };

/** Settings → Senders (admins): who sequence emails are from. */
export default async function SendersPage() {
  const { senders, environment, dkimDomain } = await listSendersForAdmin();
  return (
    <>
      <PageHeader
        title="Senders"
        description="The names and addresses sequence emails are from. Each sequence picks one in its settings; sequences without one use the default. See docs/authoring.md, “Senders”."
      />
      <SenderList senders={senders} environment={environment} dkimDomain={dkimDomain} />
    </>
  );
}
