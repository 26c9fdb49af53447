/**
 * Human wordings for every code the database and the domain record that a
 * marketer can see: statuses, exit reasons, event types, enrollment sources,
 * refusals, skip and failure reasons, consent events and their sources.
 * One table, so the activity page, the contact and sequence pages, the
 * timeline and the CSV export say the same thing. Pure: importable anywhere.
 *
 * Each family is a Record over its enum, so a new database value without a
 * wording fails the typecheck (and tests/unit/wordings.test.ts).
 */
import type {
  AuditActorType,
  ConsentEventType,
  ContactStatus,
  DelayUnit,
  EnrollmentEventType,
  EnrollmentStatus,
  ExitReason,
  MailboxAuth,
  ReentryPolicy,
  Role,
  SendStatus,
  SequenceStatus,
  TrackingEventType,
  TriggerType,
  UserTokenKind,
  WebhookDeliveryStatus,
} from "./generated/prisma/enums";
import { ROLE_LABELS } from "./auth/roles";
import { ENROLL_REFUSALS } from "./sequences/enroll-refusals";
import { EXIT_REASON_DEFINITIONS } from "./sequences/exit-reasons";
import { REENTRY_POLICY_LABELS } from "./sequences/reentry";

type Table<T extends Record<string, string>> = Record<T[keyof T], string>;

export const SEQUENCE_STATUS_WORDINGS: Table<typeof SequenceStatus> = {
  draft: "Draft",
  active: "Active",
  paused: "Paused",
  archived: "Archived",
};

export const ENROLLMENT_STATUS_WORDINGS: Table<typeof EnrollmentStatus> = {
  active: "Active",
  paused: "Paused",
  completed: "Completed",
  replied: "Replied",
  opted_out: "Opted out",
  removed: "Removed",
  contact_deleted: "Contact deleted",
  bounced: "Bounced",
};

export const CONTACT_STATUS_WORDINGS: Table<typeof ContactStatus> = {
  subscribed: "Subscribed",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced",
};

/** The labels exit-reasons.ts defines with each exit's behaviour. */
export const EXIT_REASON_WORDINGS: Table<typeof ExitReason> = Object.fromEntries(
  Object.entries(EXIT_REASON_DEFINITIONS).map(([reason, definition]) => [reason, definition.label]),
) as Table<typeof ExitReason>;

export const EVENT_TYPE_WORDINGS: Table<typeof EnrollmentEventType> = {
  enrolled: "Enrolled",
  duplicate_refused: "Already enrolled",
  enrollment_refused: "Enrollment refused",
  step_sent: "Step sent",
  step_skipped: "Step skipped",
  step_failed: "Step failed",
  step_moved: "Moved to another step by an edit",
  step_passed: "Step passed by an edit",
  step_held: "Held by the sending schedule",
  zone_fallback: "Sequence time zone used",
  paused: "Paused",
  resumed: "Resumed",
  exited: "Exited",
};

export const CONSENT_TYPE_WORDINGS: Table<typeof ConsentEventType> = {
  subscribed: "Subscribed",
  unsubscribed: "Unsubscribed",
  resubscribed: "Resubscribed",
  bounced: "Bounced",
  complained: "Marked as spam",
};

export const TRIGGER_TYPE_WORDINGS: Table<typeof TriggerType> = {
  tag_added: "tag added",
  score_threshold: "lead score reached",
  signup: "signup",
};

export const ROLE_WORDINGS: Table<typeof Role> = ROLE_LABELS;

export const DELAY_UNIT_WORDINGS: Table<typeof DelayUnit> = { minutes: "minutes", hours: "hours", days: "days", business_days: "business days" };

export const AUDIT_ACTOR_TYPE_WORDINGS: Table<typeof AuditActorType> = { user: "User", api_key: "API key", system: "Stepwise" };

export const WEBHOOK_DELIVERY_STATUS_WORDINGS: Table<typeof WebhookDeliveryStatus> = {
  pending: "Waiting to retry",
  delivering: "Sending",
  succeeded: "Delivered",
  failed: "Failed",
};

export const USER_TOKEN_KIND_WORDINGS: Table<typeof UserTokenKind> = { invite: "Invitation", password_reset: "Password reset" };

export const MAILBOX_AUTH_WORDINGS: Table<typeof MailboxAuth> = { password: "password", oauth2: "OAuth2 access token" };

export const REENTRY_POLICY_WORDINGS: Table<typeof ReentryPolicy> = REENTRY_POLICY_LABELS;

export const SEND_STATUS_WORDINGS: Table<typeof SendStatus> = { claimed: "Sending", sent: "Sent", failed: "Failed" };

export const TRACKING_EVENT_TYPE_WORDINGS: Table<typeof TrackingEventType> = { open: "Opened", click: "Clicked" };

/** Where a consent event came from (ConsentEvent.source), completing "via …". */
export const CONSENT_SOURCE_WORDINGS: Record<string, string> = {
  unsubscribe_page: "the unsubscribe page",
  one_click: "one-click unsubscribe (mail client)",
  admin: "a team member",
  api: "the API",
  import: "a CSV import",
  signup: "the signup form",
  webhook: "the mail provider",
  seed: "the demo data",
};

/** How a contact entered a sequence (Enrollment.source / the enrolled event's reason). */
export const ENROLLMENT_SOURCE_WORDINGS: Record<"manual" | "api" | "import" | "seed", string> = {
  manual: "Added by a team member",
  api: "Through the API",
  import: "By a CSV import",
  seed: "By the demo data",
};

/** Why an enrollment was refused (EnrollmentEvent.reason of refusals), as "because …". */
export const REFUSAL_WORDINGS: Record<string, string> = {
  already_enrolled: "already in the sequence",
  ...Object.fromEntries(Object.entries(ENROLL_REFUSALS).map(([code, wording]) => [code, wording.because])),
};

/** Why a step was not sent (step_skipped reasons written by run-step). */
const SKIP_WORDINGS: Record<string, string> = {
  contact_unsubscribed: "contact unsubscribed",
  contact_bounced: "mail to the contact bounced",
  contact_deleted: "contact deleted",
  step_deleted: "the step was deleted",
  enrollment_not_found: "the enrollment no longer exists",
};

/** Why a send failed (step_failed reasons). */
export const FAILURE_WORDINGS: Record<string, string> = {
  delivery_not_accepted: "the mail server did not accept it (it is retried)",
  delivery_failed: "delivery failed",
  outcome_unknown: "the app stopped while sending it, so whether it arrived is unknown (it is not sent again)",
};

const has = <T extends string>(table: Record<T, string>, key: string | null | undefined): key is T => !!key && Object.hasOwn(table, key);
/** A lookup in a table keyed by any string (no narrowing of `key`). */
const wordFor = (table: Record<string, string>, key: string): string | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** A last resort for a code no table knows (a newer version's data): readable, never snake_case. */
export function humanizeCode(code: string): string {
  const text = code.replaceAll(/[_:]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Any status a badge shows: sequence, enrollment or contact (shared names mean the same). */
export function statusWording(status: string): string {
  if (has(ENROLLMENT_STATUS_WORDINGS, status)) return ENROLLMENT_STATUS_WORDINGS[status];
  if (has(SEQUENCE_STATUS_WORDINGS, status)) return SEQUENCE_STATUS_WORDINGS[status];
  if (has(CONTACT_STATUS_WORDINGS, status)) return CONTACT_STATUS_WORDINGS[status];
  if (has(CONSENT_TYPE_WORDINGS, status)) return CONSENT_TYPE_WORDINGS[status];
  return humanizeCode(status);
}

export function exitReasonWording(reason: string | null | undefined): string {
  return has(EXIT_REASON_WORDINGS, reason) ? EXIT_REASON_WORDINGS[reason] : reason ? humanizeCode(reason) : "Exited";
}

export function eventTypeWording(type: string): string {
  return has(EVENT_TYPE_WORDINGS, type) ? EVENT_TYPE_WORDINGS[type] : humanizeCode(type);
}

export function consentSourceWording(source: string): string {
  return wordFor(CONSENT_SOURCE_WORDINGS, source) ?? humanizeCode(source).toLowerCase();
}

/** "Trigger: tag added", "Added by a team member", … */
export function enrollmentSourceWording(source: string | null | undefined): string {
  if (!source) return "";
  if (source.startsWith("trigger:")) {
    const type = source.slice("trigger:".length);
    return `Trigger: ${has(TRIGGER_TYPE_WORDINGS, type) ? TRIGGER_TYPE_WORDINGS[type] : humanizeCode(type).toLowerCase()}`;
  }
  return has(ENROLLMENT_SOURCE_WORDINGS, source) ? ENROLLMENT_SOURCE_WORDINGS[source] : humanizeCode(source);
}

const ENROLLED_BY_PHRASES: Record<keyof typeof ENROLLMENT_SOURCE_WORDINGS, string> = {
  manual: "manually",
  api: "through the API",
  import: "by a CSV import",
  seed: "by the demo data",
};

/** The source as the end of a sentence: "Enrolled in X manually", "… by trigger: tag added". */
export function enrolledByWording(source: string | null | undefined): string {
  if (!source) return "";
  if (has(ENROLLED_BY_PHRASES, source)) return ENROLLED_BY_PHRASES[source];
  const wording = enrollmentSourceWording(source);
  return source.startsWith("trigger:") ? `by ${wording.charAt(0).toLowerCase()}${wording.slice(1)}` : `(${wording})`;
}

export function refusalWording(reason: string | null | undefined): string {
  return (reason && wordFor(REFUSAL_WORDINGS, reason)) || skipReasonWording(reason);
}

/** Why a step was skipped or a run stopped: "sequence paused", "already exited (opted out)". */
export function skipReasonWording(reason: string | null | undefined): string {
  if (!reason) return "no reason recorded";
  const known = wordFor(SKIP_WORDINGS, reason);
  if (known) return known;
  if (reason.startsWith("sequence_")) {
    const status = reason.slice("sequence_".length);
    return `sequence ${has(SEQUENCE_STATUS_WORDINGS, status) ? SEQUENCE_STATUS_WORDINGS[status].toLowerCase() : humanizeCode(status).toLowerCase()}`;
  }
  if (reason.startsWith("enrollment_")) {
    const status = reason.slice("enrollment_".length);
    if (has(EXIT_REASON_WORDINGS, status)) return `already exited (${EXIT_REASON_WORDINGS[status].toLowerCase()})`;
    return `enrollment ${has(ENROLLMENT_STATUS_WORDINGS, status) ? ENROLLMENT_STATUS_WORDINGS[status].toLowerCase() : humanizeCode(status).toLowerCase()}`;
  }
  return humanizeCode(reason).toLowerCase();
}

export function failureWording(reason: string | null | undefined): string {
  return (reason && wordFor(FAILURE_WORDINGS, reason)) || skipReasonWording(reason);
}

/**
 * An exit's recorded detail. Older unsubscribes stored "unsubscribed (<consent source>)";
 * other details are written in words already (e.g. "Removed by ada@example.com").
 */
export function exitDetailWording(detail: string | null | undefined): string | null {
  if (!detail) return null;
  const unsubscribed = /^unsubscribed \(([a-z_]+)\)$/.exec(detail);
  if (unsubscribed) return `Unsubscribed via ${consentSourceWording(unsubscribed[1])}`;
  return detail;
}

/** The "why" of one activity event, by its type: a refusal, a skip, a failure, an exit, a source. */
export function eventReasonWording(type: string, reason: string | null | undefined): string {
  if (!reason) return "";
  switch (type) {
    case "enrolled":
      return enrollmentSourceWording(reason);
    case "duplicate_refused":
    case "enrollment_refused":
      return refusalWording(reason);
    case "step_skipped":
      return skipReasonWording(reason);
    case "step_failed":
      return failureWording(reason);
    case "exited":
      return exitReasonWording(reason);
    case "step_sent":
      return reason; // the subject as sent
    default:
      return /^[a-z]+(_[a-z]+)+$/.test(reason) ? humanizeCode(reason) : reason;
  }
}
