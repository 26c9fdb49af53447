/**
 * Team forms: invitations, roles, passwords. Shared by the forms, the
 * server actions and the domain functions (lib/team).
 */
import { z } from "zod";
import commonPasswords from "fxa-common-password-list";
import { Role } from "../generated/prisma/enums";
import { ZId } from "./enrollment";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

export const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_LENGTH = 200;

/** Firefox Accounts' list of common passwords (fxa-common-password-list), compared case-insensitively too. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords.test(password) || commonPasswords.test(password.toLowerCase());
}

/** A password someone chooses: long enough, and not one of the passwords everybody tries first. */
export const ZNewPassword = z
  .string({ message: "Choose a password" })
  .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters`)
  .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)
  .refine((p) => !isCommonPassword(p), "This password is too common: it is among the first ones attackers try. Choose another.");

const ROLES = Object.values(Role) as [Role, ...Role[]];
export const ZRole = z.enum(ROLES, { message: "Choose a role" });

const ZEmail = z
  .email("Enter a valid email address")
  .max(320, "At most 320 characters")
  .transform((e) => e.trim().toLowerCase());

export const ZInviteUser = z.object({ email: ZEmail, role: ZRole });
export type TInviteUser = z.infer<typeof ZInviteUser>;

export const ZChangeRole = z.object({ userId: ZId, role: ZRole });
export const ZUserRef = z.object({ userId: ZId });

/** A link token as it arrives in a form: checked for its shape here, for its signature by lib/team/tokens.ts. */
const ZToken = z.string({ message: "This link is not valid." }).min(1, "This link is not valid.").max(200, "This link is not valid.");

export const ZAcceptInvite = z.object({
  token: ZToken,
  name: z.string({ message: "Enter your name" }).trim().min(1, "Enter your name").max(120, "At most 120 characters").refine(isStorableText, UNSTORABLE_TEXT_MESSAGE),
  password: ZNewPassword,
});
export type TAcceptInvite = z.infer<typeof ZAcceptInvite>;

export const ZChangePassword = z.object({
  currentPassword: z.string({ message: "Enter your current password" }).min(1, "Enter your current password").max(PASSWORD_MAX_LENGTH),
  newPassword: ZNewPassword,
});

export const ZRequestPasswordReset = z.object({ email: ZEmail });
export const ZResetPassword = z.object({ token: ZToken, password: ZNewPassword });
