"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { audited } from "@/lib/audit/audited";
import { userActor } from "@/lib/audit/actor";
import { duplicateSequence } from "@/lib/sequences/sequence-mutations";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Copies a sequence (steps and triggers) as a new draft. */
export const duplicateSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db, user }) => {
  const copy = (result: unknown) => ({ type: "sequence" as const, id: (result as { id: string }).id });
  const { id } = await duplicateSequence(audited(db, await userActor(user), "sequence.duplicate", copy), input);
  revalidatePath("/sequences");
  return { id };
});
