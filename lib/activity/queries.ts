import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { TActivityParams } from "../validations/activity";
import { listActivityPage } from "./activity-log";

/** The enrollment event log, filtered, newest first: the audit trail of every sequence. */
export async function listActivity(params: TActivityParams) {
  await requirePageUser("viewer");
  return listActivityPage(getDb(), params);
}

/** The sequences and (when filtered by one) the contact the filter form names. */
export async function activityFilterOptions(contactId: string | undefined) {
  await requirePageUser("viewer");
  const db = getDb();
  const [sequences, contact] = await Promise.all([
    db.sequence.findMany({ orderBy: { name: "asc" }, take: 1000, select: { id: true, name: true } }),
    contactId ? db.contact.findUnique({ where: { id: contactId }, select: { id: true, email: true } }) : null,
  ]);
  return { sequences, contact };
}
