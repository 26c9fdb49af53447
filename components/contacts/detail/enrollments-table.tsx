import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { RemoveEnrollmentButton } from "@/components/sequences/remove-enrollment-button";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { EXIT_REASON_DEFINITIONS } from "@/lib/sequences/exit-reasons";
import { enrollmentSourceWording, exitReasonWording } from "@/lib/wordings";
import { MarkRepliedButton } from "./mark-replied-button";

type Enrollment = {
  id: string;
  status: string;
  exitReason: keyof typeof EXIT_REASON_DEFINITIONS | null;
  source: string;
  enrolledAt: Date;
  exitedAt: Date | null;
  currentStepIndex: number;
  nextStepDueAt: Date | null;
  sequence: { id: string; name: string; exitOnReply: boolean };
};

/** Every sequence the contact is or was in; live ones can be ended from here. */
export function EnrollmentsTable({ contactId, contactLabel, enrollments, canEdit, replyDetection }: {
  contactId: string;
  /** Whether replies can be detected at all (see ReplyDetectionNotice). */
  replyDetection: boolean;
  contactLabel: string;
  enrollments: Enrollment[];
  canEdit: boolean;
}) {
  if (enrollments.length === 0) return <EmptyState title="Not in any sequence" description="Enroll from a sequence page, the bulk actions on the contact list, or a trigger." />;
  return (
    <Table aria-label="Enrollments">
      <TableHeader>
        <TableRow>
          <TableHead>Sequence</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Progress</TableHead>
          <TableHead>Enrolled</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {enrollments.map((e) => {
          const live = e.status === "active" || e.status === "paused";
          return (
            <TableRow key={e.id} data-enrollment-status={e.status}>
              <TableCell>
                <Link href={`/sequences/${e.sequence.id}`} className="text-primary hover:underline">
                  {e.sequence.name}
                </Link>
                <div className="text-xs text-muted-foreground">{e.sequence.exitOnReply ? (replyDetection ? "Exits on reply" : "Exits on reply (replies are not detected: see Settings)") : "Continues after a reply"}</div>
              </TableCell>
              <TableCell>
                <StatusBadge status={e.status} />
              </TableCell>
              <TableCell className="text-sm">
                {live
                  ? `Step ${e.currentStepIndex + 1} · due ${formatDateTime(e.nextStepDueAt)}`
                  : `${exitReasonWording(e.exitReason)} · ${formatDateTime(e.exitedAt)}`}
              </TableCell>
              <TableCell className="text-sm">
                {formatDateTime(e.enrolledAt)}
                <div className="text-xs text-muted-foreground">{enrollmentSourceWording(e.source)}</div>
              </TableCell>
              <TableCell>
                {canEdit && live ? (
                  <div className="flex justify-end gap-2">
                    {e.sequence.exitOnReply ? <MarkRepliedButton contactId={contactId} sequenceId={e.sequence.id} sequenceName={e.sequence.name} /> : null}
                    <RemoveEnrollmentButton contactId={contactId} sequenceId={e.sequence.id} contactLabel={contactLabel} sequenceName={e.sequence.name} />
                  </div>
                ) : null}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
