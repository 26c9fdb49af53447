"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { clientAddress } from "@/lib/security/client-address";
import { acceptInvite } from "@/lib/team/invite";
import { ZAcceptInvite } from "@/lib/validations/team";
import { fieldErrorsOf } from "@/lib/validations/parse";

export type AcceptInviteState = { message?: string; fieldErrors?: Record<string, string[]> };

const REFUSED: Record<string, string> = {
  invalid_link: "This invitation link is not valid any more: it was used, replaced by a newer one, or it expired. Ask an admin for a new one.",
  already_member: "This address already has an account. Sign in instead.",
};

/** Public by design: the signed, single-use invitation link is the authorization. */
export async function acceptInviteAction(_prev: AcceptInviteState, formData: FormData): Promise<AcceptInviteState> {
  const parsed = ZAcceptInvite.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const h = await headers();
  const outcome = await acceptInvite(getDb(), parsed.data, { ip: clientAddress(h), userAgent: h.get("user-agent") });
  if (!outcome.ok) return { message: REFUSED[outcome.reason] };
  redirect("/login?invite=accepted");
}
