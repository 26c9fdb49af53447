"use server";

import { getDb } from "@/lib/db/client";
import { confirmSignup } from "@/lib/contacts/signup-confirmation";
import { signUp } from "@/lib/contacts/signup";

export type ConfirmSignupState = { status?: "confirmed" | "already_confirmed"; message?: string };

/**
 * The confirmation page's button (double opt-in). Public on purpose: the
 * signed, expiring token in the form is the authorization. A POST, so link
 * scanners that fetch the emailed URL confirm nothing.
 */
export async function confirmSignupAction(_prev: ConfirmSignupState, formData: FormData): Promise<ConfirmSignupState> {
  try {
    const outcome = await confirmSignup(getDb(), formData.get("token"), signUp);
    if (outcome.ok) return { status: outcome.status };
    return { message: outcome.reason === "expired" ? "This confirmation link has expired. Please sign up again." : "This confirmation link is not valid." };
  } catch (error) {
    console.error("[signup] confirmation failed", error);
    return { message: "Something went wrong. Please try again." };
  }
}
