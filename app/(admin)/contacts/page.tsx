import type { Metadata } from "next";
import { PageHeader } from "@/components/admin-shell/page-header";
import { contactName } from "@/components/format";
import { SearchForm } from "@/components/search-form";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listContacts } from "@/lib/contacts/queries";
import { ZListParams } from "@/lib/validations/common";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const raw = await searchParams;
  const params = ZListParams.parse(raw);
  const result = await listContacts(params);
  return (
    <>
      <PageHeader title="Contacts" description={`${result.total.toLocaleString("en")} contacts`} />
      <div className="mb-4">
        <SearchForm action="/contacts" q={params.q} placeholder="Search by email or name" label="Search contacts" />
      </div>
      {result.items.length === 0 ? (
        <EmptyState title={params.q ? "No contacts match your search" : "No contacts yet"} />
      ) : (
        <>
          <Table aria-label="Contacts">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Lead score</TableHead>
                <TableHead>Tags</TableHead>
                <TableHead className="text-right">Live sequences</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.items.map((c) => (
                <TableRow key={c.id}>
                  <TableCell className="font-medium">{contactName(c)}</TableCell>
                  <TableCell>{c.email}</TableCell>
                  <TableCell>
                    <StatusBadge status={c.status} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{c.leadScore}</TableCell>
                  <TableCell className="space-x-1">
                    {c.tags.map((t) => (
                      <Badge key={t.tag.name} variant="secondary">
                        {t.tag.name}
                      </Badge>
                    ))}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{c._count.enrollments}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pagination className="mt-4" page={result.page} pageCount={result.pageCount} basePath="/contacts" searchParams={raw} />
        </>
      )}
    </>
  );
}
