"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { createSequence } from "@/lib/sequences/sequence-mutations";
import { ZSequenceSettings } from "@/lib/validations/sequence";

/** Creates a draft sequence; the form then opens its builder. */
export const createSequenceAction = authedAction({ role: "marketer", schema: ZSequenceSettings }, async (input, { db }) => {
  const { id } = await createSequence(db, input);
  revalidatePath("/sequences");
  return { id };
});
