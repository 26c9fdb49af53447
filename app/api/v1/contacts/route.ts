import { contactView } from "@/lib/api/contact-view";
import { apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { apiKeyActor } from "@/lib/audit/actor";
import { beginAudit, recordCreated } from "@/lib/audit/audited";
import { upsertContact } from "@/lib/contacts/upsert";
import { ZApiContactBody } from "@/lib/validations/api";

/** Creates a contact, or updates the one with this email; tags and score fire triggers. */
export const POST = apiHandler(async ({ request, db, principal }) => {
  const { fireTriggers, ...input } = await readBody(request, ZApiContactBody);
  const existing = await db.contact.findFirst({ where: { email: { equals: input.email, mode: "insensitive" } }, select: { id: true } });
  const actor = apiKeyActor(principal, request);
  const audit = existing ? await beginAudit(db, actor, "contact.edit", { type: "contact", id: existing.id }) : null;
  const { contactId, created } = await upsertContact(db, input, { source: "api", fireTriggers });
  // Written after the upsert (which runs its own transactions and fires triggers), as for a manual enroll.
  if (audit) await audit.done();
  else if (created) await recordCreated(db, actor, "contact.create", { type: "contact", id: contactId });
  return apiJson({ created, contact: await contactView(db, contactId) }, created ? 201 : 200);
});
