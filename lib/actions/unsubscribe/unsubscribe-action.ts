"use server";

import { requestMeta } from "./request-meta";
import type { PublicActionResult } from "./token-action";
import { unsubscribeWithToken, type SubscriptionState } from "./unsubscribe-with-token";

export type SubscriptionActionState = PublicActionResult<SubscriptionState> | null;

/** The unsubscribe page's "Unsubscribe" button (a POST; never run on GET). */
export async function unsubscribeAction(_prev: SubscriptionActionState, formData: FormData): Promise<SubscriptionActionState> {
  return unsubscribeWithToken({ token: formData.get("token") }, await requestMeta());
}
