"use server";

import { headers } from "next/headers";
import { getDb } from "@/lib/db/client";
import { clientAddress } from "@/lib/security/client-address";
import { requestPasswordReset } from "@/lib/team/passwords";
import { ZRequestPasswordReset } from "@/lib/validations/team";
import { fieldErrorsOf } from "@/lib/validations/parse";

export type RequestResetState = { done?: boolean; fieldErrors?: Record<string, string[]> };

/**
 * "Forgot password?": public by design. The answer is the same whether the
 * address has an account, is rate limited, or not: only its mailbox learns.
 */
export async function requestPasswordResetAction(_prev: RequestResetState, formData: FormData): Promise<RequestResetState> {
  const parsed = ZRequestPasswordReset.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  await requestPasswordReset(getDb(), parsed.data, { ip: clientAddress(await headers()) });
  return { done: true };
}
