import "server-only";
/**
 * The builder's preview of a step, rendered on the server by the function
 * that renders real sends (composeStepMessage), for a chosen contact or a
 * sample one. Only the unsubscribe link differs: it is inert.
 */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { sendingIdentity, type SenderIdentity } from "../senders/identity";
import { composeStepMessage, TEST_UNSUBSCRIBE_TOKEN } from "./compose";
import type { MergeContact } from "./merge-tags";
import type { RenderedMessage } from "./render";

export type PreviewContact = { id: string | null; label: string };
export type StepPreview = { contact: PreviewContact; message: RenderedMessage; sender: SenderIdentity };

const SAMPLE_CONTACT: MergeContact = { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", attributes: { company: "Analytical Engines Ltd" } };

const CONTACT_FIELDS = { id: true, email: true, firstName: true, lastName: true, attributes: true } as const;

function label(contact: MergeContact): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
  return name ? `${name} <${contact.email}>` : contact.email;
}

/** The contact to render for: the chosen one, else the first named subscriber, else a sample. */
async function previewContact(db: Db, contactId: string | undefined): Promise<MergeContact & { id: string | null }> {
  if (contactId) {
    const chosen = await db.contact.findFirst({ where: { id: contactId, deletedAt: null }, select: CONTACT_FIELDS });
    if (!chosen) throw new AppError("not_found", "That contact no longer exists.", { contactId: ["That contact no longer exists."] });
    return chosen;
  }
  const first = await db.contact.findFirst({
    where: { deletedAt: null, status: "subscribed", firstName: { not: null } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: CONTACT_FIELDS,
  });
  return first ?? { id: null, ...SAMPLE_CONTACT };
}

/**
 * The step as `contactId` (or a sample contact) would receive it from
 * `sequenceId`'s sender (the default sender without one).
 */
export async function previewStep(db: Db, input: { subject: string; body: string; contactId?: string; sequenceId?: string }): Promise<StepPreview> {
  const contact = await previewContact(db, input.contactId);
  const sender = await sendingIdentity(db, input.sequenceId ?? null);
  const message = composeStepMessage({ subject: input.subject, body: input.body, contact, unsubscribeToken: TEST_UNSUBSCRIBE_TOKEN, senderName: sender.senderName });
  return { contact: { id: contact.id, label: label(contact) }, message, sender };
}

/** Up to 10 contacts whose email or name contains `query`, for the preview's contact picker. */
export async function findPreviewContacts(db: Db, { query }: { query: string }): Promise<PreviewContact[]> {
  const where = query
    ? { OR: [{ email: { contains: query, mode: "insensitive" as const } }, { firstName: { contains: query, mode: "insensitive" as const } }, { lastName: { contains: query, mode: "insensitive" as const } }] }
    : {};
  const contacts = await db.contact.findMany({ where: { deletedAt: null, ...where }, orderBy: [{ email: "asc" }], take: 10, select: CONTACT_FIELDS });
  return contacts.map((c) => ({ id: c.id, label: label(c) }));
}
