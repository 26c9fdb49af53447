import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { TContactListParams } from "../validations/contact-list";
import { contactProfile, contactTimeline } from "./contact-detail";
import { queryContactList, type ContactListPage } from "./list-contacts";

/** Contacts for the list page: search, filters, sort and one page. */
export async function listContacts(params: TContactListParams): Promise<ContactListPage> {
  await requirePageUser("viewer");
  return queryContactList(getDb(), params);
}

/** One contact with its consent history, enrollments and a page of its timeline. */
export async function getContactDetail(id: string, { timelinePage = 1 }: { timelinePage?: number } = {}) {
  await requirePageUser("viewer");
  const db = getDb();
  const [profile, timeline] = await Promise.all([contactProfile(db, id), contactTimeline(db, id, { page: timelinePage })]);
  return { ...profile, timeline };
}

/** Choices for the list's filters and bulk actions. */
export async function listContactFilterOptions() {
  await requirePageUser("viewer");
  const db = getDb();
  const [tags, sequences] = await Promise.all([
    db.tag.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true }, take: 500 }),
    db.sequence.findMany({ where: { status: { not: "archived" } }, orderBy: { name: "asc" }, select: { id: true, name: true, status: true }, take: 500 }),
  ]);
  return { tags, sequences };
}
