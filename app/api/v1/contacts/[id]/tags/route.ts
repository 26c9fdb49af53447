import { requireLiveContact } from "@/lib/api/contacts";
import { contactView } from "@/lib/api/contact-view";
import { apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { addTags, removeTags } from "@/lib/contacts/tags";
import { ZTagsBody } from "@/lib/validations/contact";

/** Adds tags; tag_added triggers fire for tags the contact did not have. */
export const POST = apiHandler<{ id: string }>(async ({ request, db, params }) => {
  const { tags } = await readBody(request, ZTagsBody);
  const contactId = await requireLiveContact(db, params.id);
  const { added, triggers } = await addTags(db, { contactIds: [contactId], tagNames: tags, source: "api" });
  const contact = await contactView(db, contactId);
  return apiJson({ added, triggers, tags: contact?.tags ?? [] });
});

export const DELETE = apiHandler<{ id: string }>(async ({ request, db, params }) => {
  const { tags } = await readBody(request, ZTagsBody);
  const contactId = await requireLiveContact(db, params.id);
  const { removed } = await removeTags(db, { contactIds: [contactId], tagNames: tags });
  const contact = await contactView(db, contactId);
  return apiJson({ removed, tags: contact?.tags ?? [] });
});
