import type { EnrollRefusal } from "../sequences/enroll-contact";

/** Why an enrollment was refused, for API clients; not-found refusals answer 404. */
export const REFUSALS: Record<EnrollRefusal, { status: 404 | 409; message: string }> = {
  contact_not_found: { status: 404, message: "Contact not found." },
  sequence_not_found: { status: 404, message: "Sequence not found." },
  contact_deleted: { status: 409, message: "The contact was deleted." },
  contact_unsubscribed: { status: 409, message: "The contact has unsubscribed." },
  contact_bounced: { status: 409, message: "Mail to the contact bounced." },
  sequence_not_active: { status: 409, message: "The sequence is not active." },
  reentry_not_allowed: { status: 409, message: "The contact has been through this sequence and its re-entry policy does not allow another pass." },
};
