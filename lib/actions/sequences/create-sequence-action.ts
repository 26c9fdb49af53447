"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { inAuditedTransaction } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { createSequence } from "@/lib/sequences/sequence-mutations";
import { ZSequenceSettings } from "@/lib/validations/sequence";

/** Creates a draft sequence; the form then opens its builder. */
export const createSequenceAction = authedAction({ role: "marketer", schema: ZSequenceSettings }, async (input, { db, user }) => {
  const created = (r: { id: string }) => ({ type: "sequence" as const, id: r.id });
  const { id } = await inAuditedTransaction(db, await userActor(user), "sequence.create", created, (tx) => createSequence(tx, input));
  revalidatePath("/sequences");
  return { id };
});
