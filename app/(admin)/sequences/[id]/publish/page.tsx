import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin-shell/page-header";
import { contactName, formatDateTime } from "@/components/format";
import { DraftDiffList } from "@/components/sequences/builder/draft-diff-list";
import { PublishForm } from "@/components/sequences/builder/publish-form";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { diffSteps } from "@/lib/sequences/versions/diff";
import { liveDraftSteps } from "@/lib/sequences/versions/draft";
import { previewContacts } from "@/lib/sequences/versions/history";
import { describeGroup } from "@/lib/sequences/versions/preview-groups";
import { getDraftPreview } from "@/lib/sequences/versions/publish-draft";
import { ZId } from "@/lib/validations/enrollment";
import { ZPreviewParams } from "@/lib/validations/versions";

export const metadata: Metadata = { title: "Publish changes" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> };

const MOVE_WORDS: Record<string, string> = {
  unchanged: "Unchanged",
  due_changed: "Rescheduled",
  moved_from_deleted: "Moved on from a deleted step",
  backfilled: "Gets a new step it was past",
  steps_added: "Gets a new step",
};

export default async function PublishPage({ params, searchParams }: Props) {
  const { id } = await params;
  if (!ZId.safeParse(id).success) notFound();
  const { backfill, page } = ZPreviewParams.parse(await searchParams);
  const user = await getCurrentUser();
  const back = (
    <Link href={`/sequences/${id}`} className="text-primary hover:underline">
      Back to the sequence
    </Link>
  );
  if (!user || !hasRole(user.role, "marketer")) {
    return <EmptyState title="You cannot publish changes" description="Your account is read-only. Ask an admin for marketer access." action={back} />;
  }
  const db = getDb();
  const preview = await getDraftPreview(db, { sequenceId: id, backfill }).catch((error) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    if (isAppError(error) && error.code === "conflict") return null;
    throw error;
  });
  if (!preview) return <EmptyState title="Nothing to publish" description="This sequence has no unpublished changes." action={back} />;

  const live = liveDraftSteps(preview.live);
  const next = liveDraftSteps(preview.draft.steps);
  const diff = diffSteps(preview.live, preview.draft.steps);
  const stepName = (stepId: string | undefined, steps: typeof live) => {
    const i = steps.findIndex((s) => s.id === stepId);
    return i === -1 ? "—" : `Step ${i + 1}: ${steps[i].subject}`;
  };
  const list = await previewContacts(db, preview.plan.moves, page);
  const query = backfill ? { backfill: "1" } : {};

  return (
    <>
      <PageHeader title="Preview and publish" description="Where everyone in the sequence goes when these changes go live. Nothing changes until you publish." actions={back} />
      <div className="grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Changes</CardTitle>
          </CardHeader>
          <CardContent className="text-sm">
            <DraftDiffList diff={diff} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Contacts in flight</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 text-sm">
            {preview.plan.moves.length === 0 ? (
              <p>Nobody is in this sequence now: publishing only changes the steps.</p>
            ) : (
              <ul className="grid gap-1" aria-label="What publishing does" data-preview-groups="">
                {preview.groups.map((g) => (
                  <li key={`${g.kind}-${g.from?.number}-${g.to?.number}`} data-group={g.kind}>
                    {describeGroup(g, formatDateTime)}
                  </li>
                ))}
              </ul>
            )}
            <PublishForm sequenceId={id} token={preview.token} backfill={backfill} insertsSteps={diff.some((d) => d.kind === "added")} inFlight={preview.plan.moves.length} />
          </CardContent>
        </Card>
        {list.total > 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>Per contact</CardTitle>
            </CardHeader>
            <CardContent>
              <Table aria-label="Per contact">
                <TableHeader>
                  <TableRow>
                    <TableHead>Contact</TableHead>
                    <TableHead>What happens</TableHead>
                    <TableHead>Waits on now</TableHead>
                    <TableHead>After publishing</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.items.map(({ enrollmentId, contact, migration: m }) => (
                    <TableRow key={enrollmentId} data-move={m.group}>
                      <TableCell>{contact ? `${contactName(contact)} (${contact.email})` : "—"}</TableCell>
                      <TableCell>
                        {MOVE_WORDS[m.group]}
                        {m.overdue && m.group !== "unchanged" ? " · sent within a minute" : ""}
                        {m.passed.length > 0 ? ` · will not get ${m.passed.map((p) => stepName(p.stepId, next)).join(", ")}` : ""}
                      </TableCell>
                      <TableCell>{m.from ? `${stepName(m.from.stepId, live)} · ${formatDateTime(m.from.dueAt)}` : "Nothing left"}</TableCell>
                      <TableCell>{m.to ? `${stepName(m.to.stepId, next)} · ${formatDateTime(m.to.dueAt)}` : "Completes the sequence"}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <Pagination className="mt-4" page={list.page} pageCount={list.pageCount} basePath={`/sequences/${id}/publish`} searchParams={query} />
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
