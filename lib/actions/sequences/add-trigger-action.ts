"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { addTrigger } from "@/lib/sequences/trigger-mutations";
import { ZAddTrigger } from "@/lib/validations/sequence";

/** Adds an entry trigger (a typed tag name creates the tag). */
export const addTriggerAction = authedAction({ role: "marketer", schema: ZAddTrigger }, async (input, { db }) => {
  const { id } = await addTrigger(db, input);
  revalidatePath("/sequences");
  revalidatePath(`/sequences/${input.sequenceId}`);
  return { id };
});
