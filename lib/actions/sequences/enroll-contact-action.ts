"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { AppError } from "@/lib/errors";
import { enrollContact, type EnrollRefusal } from "@/lib/sequences/enroll-contact";
import { ZId } from "@/lib/validations/enrollment";

const ZInput = z.object({
  sequenceId: ZId,
  email: z.email("Enter a valid email address").transform((e) => e.trim().toLowerCase()),
});

const REFUSAL_MESSAGES: Record<EnrollRefusal, string> = {
  contact_not_found: "No contact with that email.",
  contact_deleted: "That contact has been deleted.",
  contact_unsubscribed: "That contact has unsubscribed; they cannot be enrolled.",
  contact_bounced: "Mail to that contact bounced; they cannot be enrolled.",
  sequence_not_found: "This sequence no longer exists.",
  sequence_not_active: "Activate the sequence before enrolling contacts.",
  reentry_not_allowed: "This contact has already been through the sequence and its re-entry policy does not allow another pass.",
};

/** Manually enrolls a contact (by email) in a sequence. */
export const enrollContactAction = authedAction({ role: "marketer", schema: ZInput }, async ({ sequenceId, email }, { db }) => {
  const contact = await db.contact.findUnique({ where: { email }, select: { id: true } });
  if (!contact) throw new AppError("validation", REFUSAL_MESSAGES.contact_not_found, { email: [REFUSAL_MESSAGES.contact_not_found] });
  const result = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
  revalidatePath(`/sequences/${sequenceId}`);
  switch (result.outcome) {
    case "enrolled":
      return { message: `${email} enrolled.` };
    case "already_enrolled":
      return { message: `${email} is already in this sequence.` };
    case "refused":
      throw new AppError("conflict", REFUSAL_MESSAGES[result.reason]);
  }
});
