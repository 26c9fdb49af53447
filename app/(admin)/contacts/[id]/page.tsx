import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin-shell/page-header";
import { ContactSendPlans } from "@/components/schedule/contact-send-plans";
import { ConsentHistory } from "@/components/contacts/detail/consent-history";
import { ContactTagsEditor } from "@/components/contacts/detail/contact-tags-editor";
import { ContactTimeline } from "@/components/contacts/detail/contact-timeline";
import { ContactEngagementSection } from "@/components/analytics/contact-engagement";
import { DeleteContactButton } from "@/components/contacts/detail/delete-contact-button";
import { EnrollmentsTable } from "@/components/contacts/detail/enrollments-table";
import { LeadScoreForm } from "@/components/contacts/detail/lead-score-form";
import { ProfileForm } from "@/components/contacts/detail/profile-form";
import { SubscriptionControls } from "@/components/contacts/detail/subscription-controls";
import { contactName, formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { getCurrentUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getContactDetail, listContactFilterOptions } from "@/lib/contacts/queries";
import { isAppError } from "@/lib/errors";
import { replyDetectionConfigured } from "@/lib/replies/detection";
import { getDb } from "@/lib/db/client";
import { ZListParams } from "@/lib/validations/common";

export const metadata: Metadata = { title: "Contact" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> };

export default async function ContactPage({ params, searchParams }: Props) {
  const { id } = await params;
  const raw = await searchParams;
  const { page } = ZListParams.parse(raw);
  const detail = await getContactDetail(id, { timelinePage: page }).catch((error) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const user = await getCurrentUser();
  const canEdit = !!user && hasRole(user.role, "marketer");
  const allTags = canEdit ? (await listContactFilterOptions()).tags.map((t) => t.name) : [];
  const { contact, consents, enrollments, timeline } = detail;
  const label = contactName(contact);
  const attributes = Object.entries(contact.attributes);

  return (
    <>
      <PageHeader
        title={label}
        description={contact.email}
        actions={
          <>
            <StatusBadge status={contact.status} />
            {canEdit ? <DeleteContactButton contactId={contact.id} label={label} /> : null}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
          </CardHeader>
          <CardContent>
            {canEdit ? (
              <ProfileForm
                contactId={contact.id}
                initial={{ firstName: contact.firstName, lastName: contact.lastName, timezone: contact.timezone, attributes: contact.attributes }}
              />
            ) : (
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                <dt className="text-muted-foreground">Name</dt>
                <dd>{[contact.firstName, contact.lastName].filter(Boolean).join(" ") || "—"}</dd>
                <dt className="text-muted-foreground">Time zone</dt>
                <dd>{contact.timezone}</dd>
                {attributes.map(([key, value]) => (
                  <div key={key} className="contents">
                    <dt className="text-muted-foreground">{key}</dt>
                    <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
                  </div>
                ))}
              </dl>
            )}
            <p className="mt-4 text-xs text-muted-foreground">Added {formatDateTime(contact.createdAt)}</p>
          </CardContent>
        </Card>
        <div className="grid content-start gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Tags and lead score</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              {canEdit ? (
                <>
                  <ContactTagsEditor contactId={contact.id} tags={contact.tags} allTags={allTags} />
                  <LeadScoreForm contactId={contact.id} score={contact.leadScore} />
                </>
              ) : (
                <>
                  <div className="flex flex-wrap gap-1">
                    {contact.tags.length ? contact.tags.map((t) => <Badge key={t.id} variant="secondary">{t.name}</Badge>) : <span className="text-sm text-muted-foreground">No tags.</span>}
                  </div>
                  <p className="text-sm">
                    Lead score: <span className="font-medium tabular-nums">{contact.leadScore}</span>
                  </p>
                </>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
              <CardTitle>Subscription</CardTitle>
              <div className="flex items-center gap-2">
                <StatusBadge status={contact.status} />
                {canEdit ? <SubscriptionControls contactId={contact.id} status={contact.status} label={label} /> : null}
              </div>
            </CardHeader>
            <CardContent>
              <h3 className="mb-2 text-sm font-medium">Consent history</h3>
              <ConsentHistory consents={consents} />
            </CardContent>
          </Card>
        </div>
      </div>

      <section className="mt-8" aria-labelledby="enrollments-heading">
        <h2 id="enrollments-heading" className="mb-3 text-lg font-semibold">
          Sequences
        </h2>
        <EnrollmentsTable contactId={contact.id} contactLabel={label} enrollments={enrollments} canEdit={canEdit} replyDetection={await replyDetectionConfigured(getDb())} />
        <ContactSendPlans contactId={contact.id} />
      </section>

      <section className="mt-8" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="mb-1 text-lg font-semibold">
          Timeline
        </h2>
        <p className="mb-3 text-sm text-muted-foreground">Why each email was (or was not) sent: every enrollment, send, skip and exit, newest first.</p>
        <ContactTimeline items={timeline.items} />
        {timeline.pageCount > 1 ? (
          <Pagination className="mt-2" page={timeline.page} pageCount={timeline.pageCount} basePath={`/contacts/${contact.id}`} searchParams={raw} />
        ) : null}
      </section>
      <ContactEngagementSection contactId={contact.id} />
    </>
  );
}
