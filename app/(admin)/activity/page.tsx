import type { Metadata } from "next";
import Link from "next/link";
import { ActivityFilters } from "@/components/activity/activity-filters";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatDateTime } from "@/components/format";
import { Button, buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { activityFilterOptions, listActivity } from "@/lib/activity/queries";
import { activityQuery, parseActivityParams } from "@/lib/validations/activity";
import { eventReasonWording, eventTypeWording } from "@/lib/wordings";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = parseActivityParams(await searchParams);
  const { before, after, ...filters } = params;
  const [result, options] = await Promise.all([listActivity(params), activityFilterOptions(params.contact)]);
  const filtered = Object.values(filters).some(Boolean);
  const linkClass = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <>
      <PageHeader
        title="Activity"
        description="Every enrollment, send, skip and exit, newest first. This log is append-only."
        actions={
          <Button asChild variant="outline">
            <a href={`/api/activity/export${activityQuery(filters)}`} download>
              Export CSV
            </a>
          </Button>
        }
      />
      <ActivityFilters params={params} sequences={options.sequences} contact={options.contact} />
      {result.items.length === 0 ? (
        <EmptyState title={filtered || before || after ? "No events match" : "Nothing has happened yet"} description={filtered ? "Try fewer filters or a wider date range." : undefined} />
      ) : (
        <Table aria-label="Activity">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Event</TableHead>
              <TableHead>Why</TableHead>
              <TableHead>Contact</TableHead>
              <TableHead>Sequence</TableHead>
              <TableHead>Message</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.items.map((e) => (
              <TableRow key={e.id} data-event-type={e.type}>
                <TableCell className="text-sm whitespace-nowrap">{formatDateTime(e.createdAt)}</TableCell>
                <TableCell>{eventTypeWording(e.type)}</TableCell>
                <TableCell className="text-sm">
                  {eventReasonWording(e.type, e.reason)}
                  {e.stepSubject && e.type !== "step_sent" ? <div className="text-xs text-muted-foreground">Step: {e.stepSubject}</div> : null}
                </TableCell>
                <TableCell className="text-sm">
                  <Link href={`/contacts/${e.contactId}`} className="text-primary hover:underline">
                    {e.contactEmail}
                  </Link>
                </TableCell>
                <TableCell className="text-sm">
                  <Link href={`/sequences/${e.sequenceId}`} className="text-primary hover:underline">
                    {e.sequenceName}
                  </Link>
                </TableCell>
                <TableCell className="text-sm">
                  {e.messageId ? (
                    <Link href={`/mail/${e.messageId}`} className="text-primary hover:underline">
                      View message
                    </Link>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav aria-label="Activity pages" className="mt-4 flex justify-between gap-2">
        {result.newerCursor ? (
          <Link href={`/activity${activityQuery({ ...filters, after: result.newerCursor })}`} className={linkClass} rel="prev">
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        {result.olderCursor ? (
          <Link href={`/activity${activityQuery({ ...filters, before: result.olderCursor })}`} className={linkClass} rel="next">
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
