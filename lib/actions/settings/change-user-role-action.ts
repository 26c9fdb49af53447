"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { changeUserRole } from "@/lib/team/members";
import { ZChangeRole } from "@/lib/validations/team";

/** Gives a team member another role (the last active admin keeps theirs). */
export const changeUserRoleAction = authedAction({ role: "admin", schema: ZChangeRole }, async (input, { db, user }) => {
  const { role } = await changeUserRole(db, await userActor(user), input);
  revalidatePath("/settings");
  return { role };
});
