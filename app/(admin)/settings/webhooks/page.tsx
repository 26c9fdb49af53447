import type { Metadata } from "next";
import { PageHeader } from "@/components/admin-shell/page-header";
import { WebhookEndpoints } from "@/components/settings/webhook-endpoints";
import { listWebhookEndpointsForAdmin } from "@/lib/outbound-webhooks/queries";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const endpoints = await listWebhookEndpointsForAdmin();
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Stepwise POSTs events (enrollments, sends, exits, opt-outs, replies, bounces) to these endpoints, signed per Standard Webhooks, retried for about a day. See docs/outbound-webhooks.md."
      />
      <WebhookEndpoints endpoints={endpoints} />
    </>
  );
}
