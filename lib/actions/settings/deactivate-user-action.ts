"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { deactivateUser } from "@/lib/team/members";
import { ZUserRef } from "@/lib/validations/team";

/** Deactivates a team member: their sessions end now and they cannot sign in (the last active admin stays). */
export const deactivateUserAction = authedAction({ role: "admin", schema: ZUserRef }, async (input, { db, user }) => {
  const result = await deactivateUser(db, await userActor(user), input);
  revalidatePath("/settings");
  return result;
});
