import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatDateTime } from "@/components/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { isAppError } from "@/lib/errors";
import { getCaughtMessage } from "@/lib/mail/queries";

export const metadata: Metadata = { title: "Message" };

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const message = await getCaughtMessage(id).catch((error) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const headers = { From: message.fromAddress, To: message.toAddress, Subject: message.subject, ...message.headers };
  return (
    <>
      <PageHeader title={message.subject} description={`To ${message.toAddress} · ${formatDateTime(message.createdAt)}`} actions={<Link href="/mail" className="text-sm text-primary hover:underline">Back to sent mail</Link>} />
      <div className="grid min-w-0 gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Headers</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Message headers">
              {Object.entries(headers).map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="font-medium">{name}</dt>
                  <dd className="min-w-0 break-all font-mono text-xs leading-5" data-header={name}>
                    {String(value)}
                  </dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Rendered</CardTitle>
          </CardHeader>
          <CardContent>
            <p className="mb-2 text-sm text-muted-foreground" data-testid="inert-unsubscribe-note">
              Unsubscribe links are disabled in this view; recipients use them from their inbox.
            </p>
            {/* No allow-scripts: the message's HTML cannot run code in the admin app; it also carries its own policy. */}
            <iframe title="Rendered message" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={message.html} className="h-96 w-full rounded-md border bg-white" />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Plain text</CardTitle>
          </CardHeader>
          <CardContent>
            <pre className="whitespace-pre-wrap text-sm [overflow-wrap:anywhere]" data-testid="message-text">
              {message.text}
            </pre>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
