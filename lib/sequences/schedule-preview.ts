import "server-only";
import { requirePageUser } from "../auth/session";
import { now as clockNow } from "../clock";
import { getDb } from "../db/client";
import { contactSendPlans, previewSequenceForContact, type SendPlan } from "./send-plans";

export type { SendPlan };

/** For pages: checks the viewer, then plans with the app's clock. */
export async function getContactSendPlans(contactId: string): Promise<SendPlan[]> {
  await requirePageUser("viewer");
  return contactSendPlans(getDb(), contactId, clockNow());
}

export async function getSequencePreviewForContact(sequenceId: string, contactId: string): Promise<SendPlan> {
  await requirePageUser("viewer");
  return previewSequenceForContact(getDb(), sequenceId, contactId, clockNow());
}

/** Contacts to pick from in "preview as contact": the 100 newest, with their zones. */
export async function listPreviewContacts(): Promise<{ id: string; label: string }[]> {
  await requirePageUser("viewer");
  const contacts = await getDb().contact.findMany({
    where: { deletedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 100,
    select: { id: true, email: true, timezone: true },
  });
  return contacts.map((c) => ({ id: c.id, label: `${c.email} (${c.timezone})` }));
}
