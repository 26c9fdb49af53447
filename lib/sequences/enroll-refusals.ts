/**
 * Why enrollContact refused, in every wording the product needs: one table,
 * so the UI, the API and the timeline always agree.
 */
import type { EnrollRefusal } from "./enroll-verdict";

type RefusalWording = {
  /** Short, for counts in a toast: "2 unsubscribed". */
  label: string;
  /** A sentence for a form or API error. */
  message: string;
  /** For the timeline: "Enrollment refused: <because>". */
  because: string;
  /** How the JSON API answers it. */
  httpStatus: 404 | 409;
};

export const ENROLL_REFUSALS: Record<EnrollRefusal, RefusalWording> = {
  contact_not_found: { label: "not found", message: "No such contact.", because: "the contact did not exist", httpStatus: 404 },
  sequence_not_found: { label: "sequence missing", message: "This sequence no longer exists.", because: "the sequence did not exist", httpStatus: 404 },
  contact_deleted: { label: "deleted", message: "That contact has been deleted.", because: "the contact was deleted", httpStatus: 409 },
  contact_unsubscribed: {
    label: "unsubscribed",
    message: "That contact has unsubscribed; they cannot be enrolled.",
    because: "the contact had unsubscribed",
    httpStatus: 409,
  },
  contact_bounced: { label: "bounced", message: "Mail to that contact bounced; they cannot be enrolled.", because: "mail to the contact had bounced", httpStatus: 409 },
  sequence_not_active: { label: "sequence not active", message: "The sequence is not active.", because: "the sequence was not active", httpStatus: 409 },
  reentry_not_allowed: {
    label: "re-entry not allowed",
    message: "This contact has already been through the sequence and its re-entry policy does not allow another pass.",
    because: "the sequence's re-entry policy does not allow another pass",
    httpStatus: 409,
  },
};
