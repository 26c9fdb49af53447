"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { userActor } from "@/lib/audit/actor";
import { changePassword } from "@/lib/team/passwords";
import { ZChangePassword } from "@/lib/validations/team";

/**
 * Anyone signed in changes their own password (the current one required).
 * Every session of theirs ends, this one included: the form sends them to
 * the login page to sign in with the new password.
 */
export const changePasswordAction = authedAction({ role: "viewer", schema: ZChangePassword }, async (input, { db, user }) => {
  await changePassword(db, await userActor(user), input);
  return { signedOut: true };
});
