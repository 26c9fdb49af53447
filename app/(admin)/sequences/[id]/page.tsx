import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin-shell/page-header";
import { contactName, formatDateTime } from "@/components/format";
import { EnrollContactForm } from "@/components/sequences/enroll-contact-form";
import { RemoveEnrollmentButton } from "@/components/sequences/remove-enrollment-button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getCurrentUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { EXIT_REASON_DEFINITIONS } from "@/lib/sequences/exit-reasons";
import { describeTrigger, getSequenceDetail } from "@/lib/sequences/queries";
import { REENTRY_POLICY_LABELS } from "@/lib/sequences/reentry";
import { describeDelay } from "@/lib/sequences/schedule";
import { ZListParams } from "@/lib/validations/common";

export const metadata: Metadata = { title: "Sequence" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> };

export default async function SequencePage({ params, searchParams }: Props) {
  const { id } = await params;
  const raw = await searchParams;
  const { page } = ZListParams.parse(raw);
  const detail = await getSequenceDetail(id, { page }).catch((error) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const user = await getCurrentUser();
  const canEdit = !!user && hasRole(user.role, "marketer");
  const { sequence, enrollments } = detail;

  return (
    <>
      <PageHeader
        title={sequence.name}
        description={sequence.description || undefined}
        actions={<StatusBadge status={sequence.status} />}
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Steps</CardTitle>
          </CardHeader>
          <CardContent>
            {sequence.steps.length === 0 ? (
              <p className="text-sm text-muted-foreground">No steps yet.</p>
            ) : (
              <ol className="space-y-2">
                {sequence.steps.map((step, index) => (
                  <li key={step.id} className="rounded-md border p-3 text-sm">
                    <div className="font-medium">
                      {index + 1}. {step.subject}
                    </div>
                    <div className="text-muted-foreground">
                      {index === 0 ? "After enrollment" : "After the previous step"}: {describeDelay(step.delayAmount, step.delayUnit)}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Entry and exit</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3 text-sm">
            <div>
              <div className="font-medium">Entry triggers</div>
              {sequence.triggers.length === 0 ? (
                <p className="text-muted-foreground">Manual enrollment only.</p>
              ) : (
                <ul className="list-disc pl-5">
                  {sequence.triggers.map((t) => (
                    <li key={t.id}>{describeTrigger(t)}</li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <div className="font-medium">Exits</div>
              <ul className="list-disc pl-5">
                {Object.entries(EXIT_REASON_DEFINITIONS)
                  .filter(([reason, def]) => def.alwaysOn || (reason === "replied" && sequence.exitOnReply))
                  .map(([reason, def]) => (
                    <li key={reason}>{def.label}</li>
                  ))}
              </ul>
            </div>
            <div>
              <span className="font-medium">Re-entry: </span>
              {REENTRY_POLICY_LABELS[sequence.reentryPolicy]}
            </div>
          </CardContent>
        </Card>
      </div>

      <section className="mt-8" aria-labelledby="enrollments-heading">
        <h2 id="enrollments-heading" className="mb-3 text-lg font-semibold">
          Enrollments
        </h2>
        {canEdit && sequence.status === "active" ? (
          <div className="mb-4">
            <EnrollContactForm sequenceId={sequence.id} />
          </div>
        ) : null}
        {enrollments.items.length === 0 ? (
          <EmptyState title="No one is enrolled yet" description="Contacts enter through the triggers above or manually." />
        ) : (
          <>
            <Table aria-label="Enrollments">
              <TableHeader>
                <TableRow>
                  <TableHead>Contact</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Next step</TableHead>
                  <TableHead>Enrolled</TableHead>
                  <TableHead>Source</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {enrollments.items.map((e) => {
                  const live = e.status === "active" || e.status === "paused";
                  return (
                    <TableRow key={e.id} data-enrollment-status={e.status}>
                      <TableCell>
                        <Link href={`/contacts/${e.contact.id}`} className="text-primary hover:underline">
                          {contactName(e.contact)}
                        </Link>
                        <div className="text-xs text-muted-foreground">{e.contact.email}</div>
                      </TableCell>
                      <TableCell>
                        <StatusBadge status={e.status} />
                      </TableCell>
                      <TableCell className="text-sm">
                        {live ? `Step ${e.currentStepIndex + 1} · due ${formatDateTime(e.nextStepDueAt)}` : `Exited ${formatDateTime(e.exitedAt)}`}
                      </TableCell>
                      <TableCell className="text-sm">{formatDateTime(e.enrolledAt)}</TableCell>
                      <TableCell className="text-sm">{e.source}</TableCell>
                      <TableCell className="text-right">
                        {canEdit && live ? (
                          <RemoveEnrollmentButton
                            contactId={e.contact.id}
                            sequenceId={sequence.id}
                            contactLabel={contactName(e.contact)}
                            sequenceName={sequence.name}
                          />
                        ) : null}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
            <Pagination className="mt-4" page={enrollments.page} pageCount={enrollments.pageCount} basePath={`/sequences/${sequence.id}`} searchParams={raw} />
          </>
        )}
      </section>
    </>
  );
}
