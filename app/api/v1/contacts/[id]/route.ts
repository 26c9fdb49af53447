import { requireLiveContact } from "@/lib/api/contacts";
import { contactView } from "@/lib/api/contact-view";
import { apiError, apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { apiKeyActor } from "@/lib/audit/actor";
import { audited } from "@/lib/audit/audited";
import { updateContactDetails } from "@/lib/contacts/upsert";
import { ZContactPatch } from "@/lib/validations/contact";

export const GET = apiHandler<{ id: string }>(async ({ db, params }) => {
  const contact = await contactView(db, params.id);
  return contact ? apiJson({ contact }) : apiError(404, "not_found", "Contact not found.");
});

/** Updates name, time zone and attributes (merged; null removes a key). */
export const PATCH = apiHandler<{ id: string }>(async ({ request, db, params, principal }) => {
  const patch = await readBody(request, ZContactPatch);
  const contactId = await requireLiveContact(db, params.id);
  await updateContactDetails(audited(db, apiKeyActor(principal, request), "contact.edit", { type: "contact", id: contactId }), { contactId, patch });
  return apiJson({ contact: await contactView(db, contactId) });
});
