"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { clientAddress } from "@/lib/security/client-address";
import { resetPassword } from "@/lib/team/passwords";
import { ZResetPassword } from "@/lib/validations/team";
import { fieldErrorsOf } from "@/lib/validations/parse";

export type ResetPasswordState = { message?: string; fieldErrors?: Record<string, string[]> };

/** Public by design: the signed, single-use, one-hour reset link is the authorization. */
export async function resetPasswordAction(_prev: ResetPasswordState, formData: FormData): Promise<ResetPasswordState> {
  const parsed = ZResetPassword.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const h = await headers();
  const done = await resetPassword(getDb(), parsed.data, { ip: clientAddress(h), userAgent: h.get("user-agent") });
  if (!done) return { message: "This reset link is not valid any more: it was used, replaced by a newer one, or it expired. Ask for a new one." };
  redirect("/login?password=reset");
}
