import type { Metadata } from "next";
import { InvalidLink } from "@/components/unsubscribe/invalid-link";
import { PublicPanel } from "@/components/unsubscribe/public-panel";
import { SubscriptionForm } from "@/components/unsubscribe/subscription-form";
import { readUnsubscribeLink } from "@/lib/contacts/unsubscribe";
import { getDb } from "@/lib/db/client";
import { TEST_UNSUBSCRIBE_TOKEN } from "@/lib/email/compose";
import { mailConfig } from "@/lib/email/config";

// The token is a credential: keep the page out of indexes and referrers.
export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false, follow: false }, referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Public: the signed token identifies the contact. Viewing it changes nothing. */
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (token === TEST_UNSUBSCRIBE_TOKEN) {
    return <PublicPanel title="Test message" description="This link comes from a test message or a preview: it changes nobody's subscription. In a real message it opens the recipient's email preferences." />;
  }
  const link = await readUnsubscribeLink(getDb(), token);
  if (!link.ok) return <InvalidLink />;
  const { senderName } = mailConfig();

  if (link.status === "bounced") {
    return (
      <PublicPanel
        title="No more emails"
        description={`Emails to ${link.maskedEmail} could not be delivered, so ${senderName} sends none to this address.`}
      />
    );
  }
  return (
    <PublicPanel title="Unsubscribe" description={`Email preferences for ${link.maskedEmail}`}>
      <SubscriptionForm token={token} maskedEmail={link.maskedEmail} senderName={senderName} initialStatus={link.status} />
    </PublicPanel>
  );
}
