import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatDateTime } from "@/components/format";
import { EditWebhookEndpoint } from "@/components/settings/edit-webhook-endpoint";
import { WebhookDeliveryLog } from "@/components/settings/webhook-delivery-log";
import { WebhookSecret } from "@/components/settings/webhook-secret";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { getEndpointLogForAdmin } from "@/lib/outbound-webhooks/queries";
import { ZDeliveryLogParams } from "@/lib/validations/outbound-webhook";
import { ZId } from "@/lib/validations/enrollment";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("admin");
  const { id } = await params;
  const { before } = ZDeliveryLogParams.parse(await searchParams);
  if (!ZId.safeParse(id).success) notFound();
  const found = await getEndpointLogForAdmin(id, before);
  if (!found) notFound();
  const { endpoint, log } = found;
  return (
    <>
      <PageHeader title="Webhook endpoint" description={endpoint.url} />
      <div className="grid gap-4">
        {endpoint.disabledAt ? (
          <p role="status" className="rounded-md border border-warning p-3 text-sm">
            Disabled {formatDateTime(endpoint.disabledAt)}: {endpoint.disabledReason}. It receives no events until it is enabled again (Settings → Webhooks).
          </p>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>Endpoint</CardTitle>
            <CardDescription>{endpoint.description || "No description"} · events: {endpoint.events.join(", ")}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            <EditWebhookEndpoint endpoint={{ id: endpoint.id, url: endpoint.url, description: endpoint.description, events: endpoint.events }} />
            <WebhookSecret endpointId={endpoint.id} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Delivery log</CardTitle>
            <CardDescription>Newest first; every attempt with its response. Replay sends a delivery once more.</CardDescription>
          </CardHeader>
          <CardContent>
            <WebhookDeliveryLog items={log.items} canReplay={!endpoint.disabledAt} />
            <nav aria-label="Delivery log pages" className="mt-4 flex justify-between gap-2">
              {before ? (
                <Link href={`/settings/webhooks/${endpoint.id}`} className={buttonVariants({ variant: "outline", size: "sm" })}>
                  ← Newest
                </Link>
              ) : (
                <span />
              )}
              {log.olderCursor ? (
                <Link href={`/settings/webhooks/${endpoint.id}?before=${log.olderCursor}`} className={buttonVariants({ variant: "outline", size: "sm" })} rel="next">
                  Older →
                </Link>
              ) : null}
            </nav>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
