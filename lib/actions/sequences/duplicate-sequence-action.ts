"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { duplicateSequence } from "@/lib/sequences/sequence-mutations";
import { ZSequenceRef } from "@/lib/validations/sequence";

/** Copies a sequence (steps and triggers) as a new draft. */
export const duplicateSequenceAction = authedAction({ role: "marketer", schema: ZSequenceRef }, async (input, { db }) => {
  const { id } = await duplicateSequence(db, input);
  revalidatePath("/sequences");
  return { id };
});
