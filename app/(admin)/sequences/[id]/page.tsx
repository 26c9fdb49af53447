import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin-shell/page-header";
import { SequenceAnalytics } from "@/components/analytics/sequence-analytics";
import { contactName, formatDateTime } from "@/components/format";
import { EnrollContactForm } from "@/components/sequences/enroll-contact-form";
import { RemoveEnrollmentButton } from "@/components/sequences/remove-enrollment-button";
import { PreviewAsContact } from "@/components/schedule/preview-as-contact";
import { ExitRulesList } from "@/components/sequences/builder/exit-rules-list";
import { ScheduleForm } from "@/components/sequences/builder/schedule-form";
import { SequenceSettingsForm } from "@/components/sequences/builder/sequence-settings-form";
import { StatusControls } from "@/components/sequences/builder/status-controls";
import { StepStatsPanel } from "@/components/sequences/builder/step-stats-panel";
import { StepsEditor } from "@/components/sequences/builder/steps-editor";
import { DraftBanner } from "@/components/sequences/builder/draft-banner";
import { VersionHistory } from "@/components/sequences/builder/version-history";
import { getDraftState, listVersions } from "@/lib/sequences/versions/history";
import { TriggersEditor } from "@/components/sequences/builder/triggers-editor";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getCurrentUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { mailConfig } from "@/lib/email/config";
import { replyDetectionConfigured } from "@/lib/replies/detection";
import { getDb } from "@/lib/db/client";
import { listSenderOptions, sequenceSenderLabel } from "@/lib/senders/queries";
import { resumePreview } from "@/lib/pacing/resume-preview";
import { describeTrigger, getPreviewContact, getSequenceDetail, listTagOptions } from "@/lib/sequences/queries";
import { REENTRY_POLICY_LABELS } from "@/lib/sequences/reentry";
import { describeSchedule } from "@/lib/schedule/describe";
import { holidayCountries } from "@/lib/schedule/holidays";
import { scheduleOf } from "@/lib/schedule/stored";
import { getSequencePreviewForContact, listPreviewContacts } from "@/lib/sequences/schedule-preview";
import { ZListParams } from "@/lib/validations/common";
import { enrollmentSourceWording, exitReasonWording } from "@/lib/wordings";
import { ZId } from "@/lib/validations/enrollment";
import { ZStoredSchedule } from "@/lib/validations/schedule";

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
  const editable = canEdit && sequence.status !== "archived";
  // Only editors see forms: viewers are sent no tags or sample contact.
  const [tags, previewContact] = editable ? await Promise.all([listTagOptions(), getPreviewContact()]) : [[], null];
  const { senderName, postalAddress } = mailConfig();
  const [senderChoices, sender] = await Promise.all([editable ? listSenderOptions() : null, sequenceSenderLabel(sequence.senderId)]);
  const replyDetection = await replyDetectionConfigured(getDb());
  const previewContactId = ZId.safeParse(raw.previewContact).data ?? null;
  const [previewContacts, sendPreview] = await Promise.all([
    listPreviewContacts(),
    previewContactId ? getSequencePreviewForContact(sequence.id, previewContactId).catch(() => null) : null,
  ]);
  const storedSchedule = ZStoredSchedule.safeParse(sequence.schedule).data ?? null;
  const resume = canEdit && sequence.status === "paused" ? await resumePreview(getDb(), sequence.id) : null;
  const [{ draft, liveEnrollments }, versions] = await Promise.all([getDraftState(getDb(), sequence.id), listVersions(getDb(), sequence.id)]);
  // With a draft, editors edit (and see) the draft's steps; everyone else sees what is live.
  const shownSteps = draft && editable ? draft.steps : sequence.steps;

  return (
    <>
      <PageHeader
        title={sequence.name}
        description={sequence.description || undefined}
        actions={
          <>
            {/* Level with the buttons, not centred on them plus a refusal message below. */}
            <StatusBadge status={sequence.status} className="mt-2 self-start" />
            {canEdit ? (
              <StatusControls
                key={sequence.id}
                sequenceId={sequence.id}
                sequenceName={sequence.name}
                status={sequence.status}
                hasTriggers={sequence.triggers.length > 0}
                steps={sequence.steps.map(({ subject, body }) => ({ subject, body }))}
                resumeSummary={resume?.summary ?? null}
              />
            ) : null}
          </>
        }
      />
      {sequence.status === "archived" ? (
        <p className="mb-4 rounded-md border bg-muted px-4 py-3 text-sm">This sequence is archived: it can no longer be edited or activated. Duplicate it to reuse its steps.</p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Steps</CardTitle>
          </CardHeader>
          <CardContent>
            {draft && editable ? (
              <DraftBanner sequenceId={sequence.id} diff={draft.diff} updatedAt={draft.updatedAt} updatedBy={draft.updatedBy} liveEnrollments={liveEnrollments} canEdit={editable} />
            ) : editable && liveEnrollments > 0 ? (
              <p className="mb-4 rounded-md border bg-muted px-4 py-3 text-sm" data-live-edit-note="">
                {liveEnrollments === 1 ? "1 contact is" : `${liveEnrollments} contacts are`} in this sequence: your edits are saved as a draft, and reach them only when you preview and publish it.
              </p>
            ) : null}
            <StepsEditor
              key={sequence.id}
              sequenceId={sequence.id}
              preview={previewContact ? { contact: previewContact, senderName, postalAddress, sequenceId: sequence.id } : null}
              steps={shownSteps.map(({ id, subject, body, delayAmount, delayUnit, waitUntil }) => ({ id, subject, body, delayAmount, delayUnit, waitUntil: waitUntil ?? null }))}
            />
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Version history</CardTitle>
          </CardHeader>
          <CardContent>
            <VersionHistory versions={versions} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Entry triggers</CardTitle>
          </CardHeader>
          <CardContent>
            <TriggersEditor
              key={sequence.id}
              sequenceId={sequence.id}
              canEdit={editable}
              tags={tags}
              triggers={sequence.triggers.map((t) => ({ id: t.id, description: describeTrigger(t) }))}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Settings and exit rules</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3 text-sm">
            <p data-sequence-sender="">
              <span className="font-medium">From: </span>
              {sender.from}
              {sender.replyTo ? ` · Reply-To: ${sender.replyTo}` : null}
              {sender.own ? null : <span className="text-muted-foreground"> (the default sender)</span>}
            </p>
            {editable && senderChoices ? (
              <SequenceSettingsForm
                key={sequence.id}
                mode="edit"
                sequenceId={sequence.id}
                replyDetection={replyDetection}
                senders={senderChoices}
                initial={{
                  name: sequence.name,
                  description: sequence.description,
                  exitOnReply: sequence.exitOnReply,
                  reentryPolicy: sequence.reentryPolicy,
                  autoReplyPauseDays: sequence.autoReplyPauseDays,
                  senderId: sequence.senderId,
                }}
              />
            ) : (
              <>
                <ExitRulesList exitOnReply={sequence.exitOnReply} replyDetection={replyDetection} />
                <div>
                  <span className="font-medium">Re-entry: </span>
                  {REENTRY_POLICY_LABELS[sequence.reentryPolicy]}
                </div>
              </>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Sending schedule</CardTitle>
          </CardHeader>
          <CardContent className="text-sm">
            {editable ? (
              <ScheduleForm key={sequence.id} sequenceId={sequence.id} initial={{ timezone: sequence.timezone, schedule: storedSchedule, dailyCap: sequence.dailyCap }} countries={holidayCountries()} />
            ) : (
              <p>{describeSchedule(scheduleOf(sequence))}</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Preview as contact</CardTitle>
          </CardHeader>
          <CardContent>
            <PreviewAsContact contacts={previewContacts} selected={previewContactId} plan={sendPreview} />
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Performance</CardTitle>
          </CardHeader>
          <CardContent>
            <StepStatsPanel sequenceId={sequence.id} />
          </CardContent>
        </Card>
        <SequenceAnalytics sequenceId={sequence.id} trackingEnabled={sequence.trackingEnabled} canEdit={canEdit} searchParams={raw} />
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
                        {live ? `Step ${e.currentStepIndex + 1} · due ${formatDateTime(e.nextStepDueAt)}` : `${exitReasonWording(e.exitReason)} ${formatDateTime(e.exitedAt)}`}
                      </TableCell>
                      <TableCell className="text-sm">{formatDateTime(e.enrolledAt)}</TableCell>
                      <TableCell className="text-sm">{enrollmentSourceWording(e.source)}</TableCell>
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
