"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { safeRedirectTarget } from "@/lib/security/redirect-target";
import { fieldErrorsOf } from "@/lib/validations/parse";

const ZSignIn = z.object({
  email: z.email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
  // Where to go after signing in is a wish, not a field to correct: anything
  // unusable (too long, not a string) means the default page, never a refusal.
  callbackUrl: z.string().max(4096).optional().catch(undefined),
});

export type SignInState = { message?: string; fieldErrors?: Record<string, string[]> };

/** Signs in with email and password; on success Auth.js redirects. */
export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = ZSignIn.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  // Only the app's own origin: an open redirect would make a phishing link look like ours.
  const target = safeRedirectTarget(parsed.data.callbackUrl, "/sequences");
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: target });
    return {};
  } catch (error) {
    if (error instanceof AuthError && (error as { code?: string }).code === "throttled") {
      return { message: "Too many failed sign-ins for this address or network. Wait 15 minutes, then try again, or reset your password." };
    }
    if (error instanceof AuthError) return { message: "Email or password is incorrect." };
    throw error; // NEXT_REDIRECT on success
  }
}
