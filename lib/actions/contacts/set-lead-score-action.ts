"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { beginAudit } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { setLeadScore } from "@/lib/contacts/score";
import { ZLeadScore } from "@/lib/validations/contact";
import { ZId } from "@/lib/validations/enrollment";

const ZInput = z.object({ contactId: ZId, score: ZLeadScore });

/** Sets a contact's lead score; crossing a threshold upward fires score triggers. */
export const setLeadScoreAction = authedAction({ role: "marketer", schema: ZInput }, async ({ contactId, score }, { db, user }) => {
  // After the change, not in it: score triggers may enroll the contact in transactions of their own.
  const audit = await beginAudit(db, await userActor(user), "contact.score", { type: "contact", id: contactId });
  const { next } = await setLeadScore(db, { contactId, score, source: "admin" });
  await audit.done();
  revalidatePath(`/contacts/${contactId}`);
  revalidatePath("/contacts");
  return { score: next };
});
