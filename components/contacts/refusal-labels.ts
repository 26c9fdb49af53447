import type { EnrollRefusal } from "@/lib/sequences/enroll-contact";

/** Why an enrollment was refused, for toasts ("2 unsubscribed"). */
export const REFUSAL_LABELS: Record<EnrollRefusal, string> = {
  contact_not_found: "not found",
  contact_deleted: "deleted",
  contact_unsubscribed: "unsubscribed",
  contact_bounced: "bounced",
  sequence_not_found: "sequence missing",
  sequence_not_active: "sequence not active",
  reentry_not_allowed: "re-entry not allowed",
};
