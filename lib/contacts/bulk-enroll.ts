import type { Db } from "../db/prisma";
import type { EnrollRefusal } from "../sequences/enroll-verdict";
import { enrollMany } from "../sequences/enroll-many";
import type { EnrollmentSource } from "../sequences/triggers";
import { ZBulkEnrollInput } from "../validations/contact-list";
import { parseOrThrow } from "../validations/parse";

export type BulkEnrollResult = {
  enrolled: number;
  alreadyEnrolled: number;
  refused: number;
  /** How many were refused for each reason (unsubscribed, re-entry...). */
  refusals: Partial<Record<EnrollRefusal, number>>;
};

/**
 * Enrolls the selected contacts in one sequence with enrollMany (enrollContact's
 * rules, set-based) and counts the outcomes for the summary.
 */
export async function enrollContacts(
  db: Db,
  input: { contactIds: string[]; sequenceId: string; source?: EnrollmentSource },
): Promise<BulkEnrollResult> {
  const { contactIds, sequenceId } = parseOrThrow(ZBulkEnrollInput, input);
  const pairs = [...new Set(contactIds)].map((contactId) => ({ contactId, sequenceId }));
  const results = await enrollMany(db, { pairs, source: input.source ?? "manual" });

  const summary: BulkEnrollResult = { enrolled: 0, alreadyEnrolled: 0, refused: 0, refusals: {} };
  for (const r of results) {
    if (r.outcome === "enrolled") summary.enrolled++;
    else if (r.outcome === "already_enrolled") summary.alreadyEnrolled++;
    else {
      summary.refused++;
      summary.refusals[r.reason] = (summary.refusals[r.reason] ?? 0) + 1;
    }
  }
  return summary;
}
