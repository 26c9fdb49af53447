"use server";

import { headers } from "next/headers";
import { getDb } from "@/lib/db/client";
import { publicSignUp } from "@/lib/contacts/signup";
import { clientAddress } from "@/lib/security/client-address";

export type SignUpState = { done?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: { email?: string; firstName?: string } };

/**
 * The hosted signup form's action. Public on purpose (anyone may sign up),
 * so it is not behind authedAction; it shares the API's validation, rate
 * limit and domain function through publicSignUp.
 */
export async function signUpAction(_prev: SignUpState, formData: FormData): Promise<SignUpState> {
  const field = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  };
  const body = { email: field("email") ?? "", firstName: field("firstName"), source: field("source") };
  const values = { email: body.email, firstName: body.firstName };
  const requestHeaders = await headers();
  try {
    const result = await publicSignUp(getDb(), { body, ip: clientAddress(requestHeaders), userAgent: requestHeaders.get("user-agent") });
    if (result.ok) return { done: true };
    if (result.code === "rate_limited") return { values, message: "Too many signups from your network. Please try again in a few minutes." };
    return { values, fieldErrors: result.fieldErrors };
  } catch (error) {
    console.error("[signup] unexpected error", error);
    return { values, message: "Something went wrong. Please try again." };
  }
}
