"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { beginAudit } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { AppError } from "@/lib/errors";
import { enrollContact } from "@/lib/sequences/enroll-contact";
import { ENROLL_REFUSALS } from "@/lib/sequences/enroll-refusals";
import { ZId } from "@/lib/validations/enrollment";

const ZInput = z.object({
  sequenceId: ZId,
  email: z.email("Enter a valid email address").transform((e) => e.trim().toLowerCase()),
});

/** Manually enrolls a contact (by email) in a sequence. */
export const enrollContactAction = authedAction({ role: "marketer", schema: ZInput }, async ({ sequenceId, email }, { db, user }) => {
  const contact = await db.contact.findUnique({ where: { email }, select: { id: true } });
  if (!contact) throw new AppError("validation", "No contact with that email.", { email: ["No contact with that email."] });
  const audit = await beginAudit(db, await userActor(user), "contact.enroll", { type: "contact", id: contact.id, sequenceId });
  const result = await enrollContact(db, { contactId: contact.id, sequenceId, source: "manual" });
  await audit.done();
  revalidatePath(`/sequences/${sequenceId}`);
  switch (result.outcome) {
    case "enrolled":
      return { message: `${email} enrolled.` };
    case "already_enrolled":
      return { message: `${email} is already in this sequence.` };
    case "refused":
      throw new AppError("conflict", ENROLL_REFUSALS[result.reason].message);
  }
});
