import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatDateTime } from "@/components/format";
import { SearchForm } from "@/components/search-form";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listCaughtMessages } from "@/lib/mail/queries";
import { ZListParams } from "@/lib/validations/common";

export const metadata: Metadata = { title: "Sent mail" };

export default async function SentMailPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const raw = await searchParams;
  const params = ZListParams.parse(raw);
  const result = await listCaughtMessages(params);
  return (
    <>
      <PageHeader
        title="Sent mail"
        description={
          process.env.SMTP_URL
            ? "Mail is delivered over SMTP; this page only lists messages caught before SMTP was configured."
            : "No SMTP server is configured, so messages are kept here by the local mail catcher instead of being delivered."
        }
      />
      <div className="mb-4">
        <SearchForm action="/mail" q={params.q} placeholder="Search by recipient or subject" label="Search sent mail" />
      </div>
      {result.items.length === 0 ? (
        <EmptyState title={params.q ? "No messages match your search" : "No mail sent yet"} description="Messages appear here as sequence steps are sent." />
      ) : (
        <>
          <Table aria-label="Sent mail">
            <TableHeader>
              <TableRow>
                <TableHead>Sent</TableHead>
                <TableHead>To</TableHead>
                <TableHead>Subject</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.items.map((m) => (
                <TableRow key={m.id}>
                  <TableCell className="text-sm whitespace-nowrap">{formatDateTime(m.createdAt)}</TableCell>
                  <TableCell className="text-sm">{m.toAddress}</TableCell>
                  <TableCell>
                    <Link href={`/mail/${m.id}`} className="text-primary hover:underline">
                      {m.subject}
                    </Link>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pagination className="mt-4" page={result.page} pageCount={result.pageCount} basePath="/mail" searchParams={raw} />
        </>
      )}
    </>
  );
}
