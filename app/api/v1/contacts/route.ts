import { contactView } from "@/lib/api/contact-view";
import { apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { upsertContact } from "@/lib/contacts/upsert";
import { ZApiContactBody } from "@/lib/validations/api";

/** Creates a contact, or updates the one with this email; tags and score fire triggers. */
export const POST = apiHandler(async ({ request, db }) => {
  const { fireTriggers, ...input } = await readBody(request, ZApiContactBody);
  const { contactId, created } = await upsertContact(db, input, { source: "api", fireTriggers });
  return apiJson({ created, contact: await contactView(db, contactId) }, created ? 201 : 200);
});
