import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatDateTime } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listActivity } from "@/lib/activity/queries";
import { ZListParams } from "@/lib/validations/common";

export const metadata: Metadata = { title: "Activity" };

const EVENT_LABELS: Record<string, string> = {
  enrolled: "Enrolled",
  duplicate_refused: "Duplicate enrollment refused",
  enrollment_refused: "Enrollment refused",
  step_sent: "Step sent",
  step_skipped: "Step skipped",
  step_failed: "Step failed",
  paused: "Paused",
  resumed: "Resumed",
  exited: "Exited",
};

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const raw = await searchParams;
  const { page } = ZListParams.parse(raw);
  const result = await listActivity({ page });
  return (
    <>
      <PageHeader title="Activity" description="Every enrollment, send, skip and exit, newest first. This log is append-only." />
      {result.items.length === 0 ? (
        <EmptyState title="Nothing has happened yet" />
      ) : (
        <>
          <Table aria-label="Activity">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Event</TableHead>
                <TableHead>Why</TableHead>
                <TableHead>Contact</TableHead>
                <TableHead>Sequence</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.items.map((e) => (
                <TableRow key={e.id}>
                  <TableCell className="text-sm whitespace-nowrap">{formatDateTime(e.createdAt)}</TableCell>
                  <TableCell>{EVENT_LABELS[e.type] ?? e.type}</TableCell>
                  <TableCell>{e.type === "exited" && e.reason ? <StatusBadge status={e.reason} /> : <span className="text-sm">{e.reason ?? ""}</span>}</TableCell>
                  <TableCell className="text-sm">{e.contact.email}</TableCell>
                  <TableCell className="text-sm">
                    <Link href={`/sequences/${e.sequence.id}`} className="text-primary hover:underline">
                      {e.sequence.name}
                    </Link>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pagination className="mt-4" page={result.page} pageCount={result.pageCount} basePath="/activity" searchParams={raw} />
        </>
      )}
    </>
  );
}
