import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatRate } from "@/components/analytics/format";
import { ariaSort, SortLink } from "@/components/analytics/sort-link";
import { SearchForm } from "@/components/search-form";
import { SequenceRowActions } from "@/components/sequences/builder/sequence-row-actions";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { listSequences } from "@/lib/sequences/queries";
import { ZSequenceSort } from "@/lib/validations/analytics";
import { ZListParams } from "@/lib/validations/common";

export const metadata: Metadata = { title: "Sequences" };

type Props = { searchParams: Promise<Record<string, string | undefined>> };

export default async function SequencesPage({ searchParams }: Props) {
  const raw = await searchParams;
  const params = ZListParams.parse(raw);
  const order = ZSequenceSort.parse(raw);
  const result = await listSequences(params, order);
  const user = await getCurrentUser();
  const canEdit = !!user && hasRole(user.role, "marketer");
  return (
    <>
      <PageHeader
        title="Sequences"
        description="Automated email steps, sent until each contact completes or exits."
        actions={
          canEdit ? (
            <Button asChild>
              <Link href="/sequences/new">New sequence</Link>
            </Button>
          ) : undefined
        }
      />
      <div className="mb-4">
        <SearchForm action="/sequences" q={params.q} placeholder="Search sequences" label="Search sequences by name" />
      </div>
      {result.items.length === 0 ? (
        <EmptyState
          title={params.q ? "No sequences match your search" : "No sequences yet"}
          description={params.q ? "Try another name." : "Sequences you create appear here."}
          action={
            canEdit && !params.q ? (
              <Button asChild variant="outline">
                <Link href="/sequences/new">Create your first sequence</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <Table aria-label="Sequences">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Entry triggers</TableHead>
                <TableHead className="text-right">Steps</TableHead>
                <TableHead className="text-right" aria-sort={ariaSort("active", order)}>
                  <SortLink column="active" label="Active" current={order} q={params.q} />
                </TableHead>
                <TableHead className="text-right">Completed</TableHead>
                <TableHead className="text-right">Exited</TableHead>
                <TableHead className="text-right" aria-sort={ariaSort("replyRate", order)}>
                  <SortLink column="replyRate" label="Reply rate" current={order} q={params.q} />
                </TableHead>
                <TableHead className="text-right" aria-sort={ariaSort("unsubscribeRate", order)}>
                  <SortLink column="unsubscribeRate" label="Unsubscribe rate" current={order} q={params.q} />
                </TableHead>
                {canEdit ? (
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.items.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <Link href={`/sequences/${s.id}`} className="font-medium text-primary hover:underline">
                      {s.name}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <StatusBadge status={s.status} />
                  </TableCell>
                  <TableCell className="text-sm text-muted-foreground">{s.triggerSummary}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.stepCount}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.counts.active}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.counts.completed}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.counts.exited}</TableCell>
                  <TableCell className="text-right tabular-nums" data-column="reply-rate">{formatRate(s.rates.replyRate)}</TableCell>
                  <TableCell className="text-right tabular-nums" data-column="unsubscribe-rate">{formatRate(s.rates.unsubscribeRate)}</TableCell>
                  {canEdit ? (
                    <TableCell>
                      <SequenceRowActions sequenceId={s.id} name={s.name} status={s.status} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pagination className="mt-4" page={result.page} pageCount={result.pageCount} basePath="/sequences" searchParams={raw} />
        </>
      )}
    </>
  );
}
