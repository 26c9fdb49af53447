/**
 * Who may be enrolled: the rules enrollContact and enrollMany both apply, in
 * this order, so a contact gets the same answer (and the same logged reason)
 * whichever path enrolls them. Pure: the callers read the facts, under the
 * locks they need, and write what the verdict says.
 */
import type { TExitReason } from "./exit-reasons";
import { reentryDecision, type TReentryPolicy } from "./reentry";

export type EnrollRefusal =
  | "contact_not_found"
  | "contact_deleted"
  | "contact_unsubscribed"
  | "contact_bounced"
  | "sequence_not_found"
  | "sequence_not_active"
  | "reentry_not_allowed";

export type ContactFacts = { found: boolean; status: string; deleted: boolean };
export type SequenceFacts = { status: string; reentryPolicy: TReentryPolicy };
/** The contact's most recent enrollment in the sequence. */
export type PreviousEnrollment = { id: string; status: string; exitReason: TExitReason | null };

export type EnrollVerdict = { kind: "refused"; reason: EnrollRefusal } | { kind: "live"; enrollmentId: string } | { kind: "allowed" };

/** A contact that exists and may be mailed. */
export const MAILABLE_CONTACT: ContactFacts = Object.freeze({ found: true, status: "subscribed", deleted: false });

export function enrollVerdict(contact: ContactFacts, sequence: SequenceFacts | undefined, previous: PreviousEnrollment | undefined): EnrollVerdict {
  const refused = (reason: EnrollRefusal): EnrollVerdict => ({ kind: "refused", reason });
  if (!contact.found) return refused("contact_not_found");
  if (!sequence) return refused("sequence_not_found");
  if (contact.deleted) return refused("contact_deleted");
  if (contact.status === "unsubscribed") return refused("contact_unsubscribed");
  if (contact.status === "bounced") return refused("contact_bounced");
  if (sequence.status !== "active") return refused("sequence_not_active");
  if (previous && (previous.status === "active" || previous.status === "paused")) return { kind: "live", enrollmentId: previous.id };
  const decision = reentryDecision(sequence.reentryPolicy, previous?.exitReason ?? null);
  return decision.allowed ? { kind: "allowed" } : refused(decision.reason);
}

/** enrollContact cannot log about a contact or sequence that does not exist (the event log references both). */
export function isLoggableRefusal(reason: EnrollRefusal): boolean {
  return reason !== "contact_not_found" && reason !== "sequence_not_found";
}
