/** Page reads of the analytics, for signed-in users (viewer and up). */
import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { TAnalyticsRange } from "../validations/analytics";
import { getSequenceAnalytics } from "./analytics";
import { contactEngagement } from "./contact-engagement";

export async function loadSequenceAnalytics(sequenceId: string, range: TAnalyticsRange) {
  await requirePageUser("viewer");
  return getSequenceAnalytics(getDb(), sequenceId, range);
}

export async function loadContactEngagement(contactId: string) {
  await requirePageUser("viewer");
  return contactEngagement(getDb(), contactId);
}
