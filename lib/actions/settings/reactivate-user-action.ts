"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { reactivateUser } from "@/lib/team/members";
import { ZUserRef } from "@/lib/validations/team";

/** Lets a deactivated team member sign in again. */
export const reactivateUserAction = authedAction({ role: "admin", schema: ZUserRef }, async (input, { db, user }) => {
  const result = await reactivateUser(db, await userActor(user), input);
  revalidatePath("/settings");
  return result;
});
