/**
 * What the unsubscribe page's two buttons do, given the request's IP and
 * user agent. The "use server" actions only add those from headers().
 */
import { resubscribeContact, unsubscribeContact } from "../../contacts/unsubscribe";
import { tokenAction } from "./token-action";

/** `at` orders results, so the page shows whichever change happened last. */
export type SubscriptionState = { status: "subscribed" | "unsubscribed"; at: number };

/** Unsubscribes the link's contact from everything (source unsubscribe_page). */
export const unsubscribeWithToken = tokenAction(async (link, { db, meta }): Promise<SubscriptionState> => {
  await unsubscribeContact(db, { ...link, source: "unsubscribe_page", ...meta });
  return { status: "unsubscribed", at: Date.now() };
});

/** Gives consent back (a new consent event); re-enrolls nobody. */
export const resubscribeWithToken = tokenAction(async (link, { db, meta }): Promise<SubscriptionState> => {
  await resubscribeContact(db, { contactId: link.contactId, source: "unsubscribe_page", ...meta });
  return { status: "subscribed", at: Date.now() };
});
