import { requireLiveContact } from "@/lib/api/contacts";
import { contactView } from "@/lib/api/contact-view";
import { apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { apiKeyActor } from "@/lib/audit/actor";
import { beginAudit } from "@/lib/audit/audited";
import { addTags, removeTags } from "@/lib/contacts/tags";
import { ZTagsBody } from "@/lib/validations/contact";

/** Adds tags; tag_added triggers fire for tags the contact did not have. */
export const POST = apiHandler<{ id: string }>(async ({ request, db, params, principal }) => {
  const { tags } = await readBody(request, ZTagsBody);
  const contactId = await requireLiveContact(db, params.id);
  // After the change, not in it: tag triggers enroll in transactions of their own.
  const audit = await beginAudit(db, apiKeyActor(principal, request), "contact.tag", { type: "contact", id: contactId });
  const { added, triggers } = await addTags(db, { contactIds: [contactId], tagNames: tags, source: "api" });
  await audit.done();
  const contact = await contactView(db, contactId);
  return apiJson({ added, triggers, tags: contact?.tags ?? [] });
});

export const DELETE = apiHandler<{ id: string }>(async ({ request, db, params, principal }) => {
  const { tags } = await readBody(request, ZTagsBody);
  const contactId = await requireLiveContact(db, params.id);
  const audit = await beginAudit(db, apiKeyActor(principal, request), "contact.untag", { type: "contact", id: contactId });
  const { removed } = await removeTags(db, { contactIds: [contactId], tagNames: tags });
  await audit.done();
  const contact = await contactView(db, contactId);
  return apiJson({ removed, tags: contact?.tags ?? [] });
});
