"use server";

import { requestMeta } from "./request-meta";
import type { SubscriptionActionState } from "./unsubscribe-action";
import { resubscribeWithToken } from "./unsubscribe-with-token";

/** The unsubscribe page's "Resubscribe" button. */
export async function resubscribeAction(_prev: SubscriptionActionState, formData: FormData): Promise<SubscriptionActionState> {
  return resubscribeWithToken({ token: formData.get("token") }, await requestMeta());
}
