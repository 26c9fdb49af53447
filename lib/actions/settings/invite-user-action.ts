"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { inviteUser } from "@/lib/team/invite";
import { ZInviteUser } from "@/lib/validations/team";

/** Invites someone by email with a role; the link goes out through the configured mail transport. */
export const inviteUserAction = authedAction({ role: "admin", schema: ZInviteUser }, async (input, { db, user }) => {
  const { email } = await inviteUser(db, await userActor(user), input);
  revalidatePath("/settings");
  return { email };
});
