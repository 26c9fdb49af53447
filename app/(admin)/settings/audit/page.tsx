import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { formatDateTime } from "@/components/format";
import { AuditFilters } from "@/components/settings/audit-filters";
import { AuditChange } from "@/components/settings/audit-change";
import { Button, buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { auditActionWording, AUDIT_OBJECT_WORDINGS, type AuditObjectType } from "@/lib/audit/actions";
import { auditActors, listAuditEvents } from "@/lib/audit/queries";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { auditQuery, parseAuditParams } from "@/lib/validations/audit";
import { AUDIT_ACTOR_TYPE_WORDINGS } from "@/lib/wordings";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("admin");
  const params = parseAuditParams(await searchParams);
  const { before, after, ...filters } = params;
  const [result, actors] = await Promise.all([listAuditEvents(getDb(), params), auditActors(getDb())]);
  const filtered = Object.values(filters).some(Boolean);
  const linkClass = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what, when and from where, newest first. This log is append-only."
        actions={
          <Button asChild variant="outline">
            <a href={`/api/audit/export${auditQuery(filters)}`} download>
              Export CSV
            </a>
          </Button>
        }
      />
      <AuditFilters params={params} actors={actors} />
      {result.items.length === 0 ? (
        <EmptyState title={filtered || before || after ? "No entries match" : "Nothing recorded yet"} description={filtered ? "Try fewer filters or a wider date range." : undefined} />
      ) : (
        <Table aria-label="Audit log">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Who</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Object</TableHead>
              <TableHead>Change</TableHead>
              <TableHead>From</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.items.map((e) => (
              <TableRow key={e.id} data-audit-action={e.action}>
                <TableCell className="text-sm whitespace-nowrap">{formatDateTime(e.createdAt)}</TableCell>
                <TableCell className="text-sm">
                  {e.actorLabel}
                  {e.actorType === "api_key" ? <div className="text-xs text-muted-foreground">{AUDIT_ACTOR_TYPE_WORDINGS.api_key}</div> : null}
                </TableCell>
                <TableCell className="text-sm">{auditActionWording(e.action)}</TableCell>
                <TableCell className="text-sm">
                  <div className="text-xs text-muted-foreground">{AUDIT_OBJECT_WORDINGS[e.objectType as AuditObjectType] ?? e.objectType}</div>
                  {e.objectLabel ?? e.detail ?? "—"}
                </TableCell>
                <TableCell className="text-sm">
                  <AuditChange before={e.before} after={e.after} />
                </TableCell>
                <TableCell className="text-sm text-muted-foreground">{e.ip ?? "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav aria-label="Audit log pages" className="mt-4 flex justify-between gap-2">
        {result.newerCursor ? (
          <Link href={`/settings/audit${auditQuery({ ...filters, after: result.newerCursor })}`} className={linkClass} rel="prev">
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        {result.olderCursor ? (
          <Link href={`/settings/audit${auditQuery({ ...filters, before: result.olderCursor })}`} className={linkClass} rel="next">
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
