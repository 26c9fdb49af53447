/**
 * The contact timeline in plain sentences: it answers "why did (or didn't)
 * this person get this email?" from the append-only enrollment event log.
 * Pure, so that the wording is tested without a database.
 */
import { TRIGGER_DEFINITIONS, type TTriggerType } from "../sequences/triggers";
import { enrolledByWording, exitDetailWording, exitReasonWording, failureWording, refusalWording, skipReasonWording } from "../wordings";

export type TimelineTone = "neutral" | "success" | "warning" | "danger";

export type TimelineEventInput = {
  type: string;
  reason: string | null;
  data: unknown;
  sequenceName: string;
  /** The step the event is about; `number` is null when the step was deleted since. */
  step: { number: number | null; subject: string } | null;
  /** The trigger that enrolled, when the event names one that still exists. */
  trigger: { type: TTriggerType; summary: string } | null;
};

export type TimelineSentence = { sentence: string; detail: string | null; tone: TimelineTone };

/**
 * "Tag added: trial". (lib/sequences/queries.ts has the same wording but is
 * server-only; this module must stay importable by tests.)
 */
export function summarizeTrigger(t: { type: TTriggerType; scoreThreshold: number | null; signupSource: string | null; tag: { name: string } | null }): string {
  switch (t.type) {
    case "tag_added":
      return `${TRIGGER_DEFINITIONS.tag_added.label}: ${t.tag?.name ?? "(deleted tag)"}`;
    case "score_threshold":
      return `Lead score reaches ${t.scoreThreshold}`;
    case "signup":
      return t.signupSource ? `Signs up via ${t.signupSource}` : "Signs up";
  }
}

function dataField(data: unknown, key: string): string | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === "string" && value ? value : null;
}

/** Why a step was skipped, from the reason run-step records. */
export function describeSkipReason(reason: string | null): string {
  return skipReasonWording(reason);
}

function stepName(step: TimelineEventInput["step"], withSubject: boolean): string {
  if (!step) return "Step";
  if (step.number === null) return `Step '${step.subject}' (since deleted)`;
  return withSubject ? `Step ${step.number} '${step.subject}'` : `Step ${step.number}`;
}

const HELD_WORDS: Record<string, string> = {
  outside_window: "outside the sending window",
  non_sending_day: "not a sending day",
  holiday: "a public holiday",
};

/** Holds by pacing (lib/pacing), not the schedule: data.until is when the step may go. */
const PACING_WORDS: Record<string, string> = {
  daily_cap: "daily cap reached",
  send_rate: "sending rate limit",
};

const MOVE_REASONS: Record<string, string> = {
  step_deleted: "the step it waited on was deleted",
  delay_changed: "the delay changed",
  inserted_behind: "added before the contact's place in the sequence",
  moved_behind: "moved before the contact's place in the sequence",
  backfilled: "added before the contact's place, and published to be sent to contacts already past it",
};

/** A move made by an edit of a live sequence (lib/sequences/versions), with its reason and version. */
function describeVersionMove(type: "step_moved" | "step_passed", reason: string | null, data: unknown, step: TimelineEventInput["step"]): TimelineSentence {
  const raw = data && typeof data === "object" ? (data as Record<string, unknown>).version : null;
  const version = typeof raw === "number" ? raw : null;
  const why = `${MOVE_REASONS[reason ?? ""] ?? describeSkipReason(reason)}${version ? ` (version ${version})` : ""}`;
  const due = dataField(data, "dueAt");
  if (type === "step_passed") return { sentence: `${stepName(step, true)} will not be sent: ${why}`, detail: null, tone: "neutral" };
  const sentence = reason === "delay_changed" ? `${stepName(step, true)} rescheduled: ${why}` : `Moved on to ${stepName(step, true)}: ${why}`;
  return { sentence, detail: due ? `Due ${due}` : null, tone: "neutral" };
}

/** One event of the log as a sentence, with optional detail and a tone for the UI. */
export function describeTimelineEvent(event: TimelineEventInput): TimelineSentence {
  const { type, reason, data, sequenceName, step, trigger } = event;
  const detail = dataField(data, "detail");
  switch (type) {
    case "enrolled":
      return { sentence: `Enrolled in ${sequenceName} ${enrolledByWording(reason)}`.trim(), detail: trigger?.summary ?? null, tone: "success" };
    case "duplicate_refused":
      return { sentence: `Not enrolled in ${sequenceName} again: already in it`, detail: null, tone: "neutral" };
    case "enrollment_refused":
      return { sentence: `Not enrolled in ${sequenceName}: ${refusalWording(reason)}`, detail: null, tone: "warning" };
    case "step_sent": {
      // The log keeps the subject as sent (merge tags filled in); prefer it to the template.
      const sent = step && reason ? { ...step, subject: reason } : step;
      return { sentence: `${stepName(sent, true)} sent`, detail: null, tone: "success" };
    }
    case "step_skipped":
      // A run that met a paused sequence stops before the step; resuming
      // sends it (run-step logs this as step_skipped, reason sequence_paused).
      if (reason === "sequence_paused") {
        return { sentence: `${stepName(step, false)} held: sequence paused (it is sent when the sequence resumes)`, detail: step ? `Subject: ${step.subject}` : null, tone: "neutral" };
      }
      return { sentence: `${stepName(step, false)} skipped: ${describeSkipReason(reason)}`, detail: step ? `Subject: ${step.subject}` : null, tone: "warning" };
    case "step_failed":
      return { sentence: `${stepName(step, true)} failed: ${failureWording(reason)}`, detail: dataField(data, "error"), tone: "danger" };
    case "step_moved":
    case "step_passed":
      return describeVersionMove(type, reason, data, step);
    case "step_held":
      if (reason && reason in PACING_WORDS) {
        return { sentence: `${stepName(step, true)} held: ${PACING_WORDS[reason]}`, detail: dataField(data, "until") ? `Sends from ${dataField(data, "until")}` : null, tone: "neutral" };
      }
      if (reason === "auto_reply") return { sentence: `${stepName(step, true)} held: the contact sent an out-of-office reply`, detail: dataField(data, "dueAt") ? `Not before ${dataField(data, "dueAt")}` : null, tone: "neutral" };
      return { sentence: `${stepName(step, true)} held by the schedule: ${HELD_WORDS[reason ?? ""] ?? "outside the sending schedule"}`, detail: dataField(data, "dueAt") ? `Sends ${dataField(data, "dueAt")} (${dataField(data, "zone")})` : null, tone: "neutral" };
    case "zone_fallback":
      return { sentence: `Sends follow the sequence's time zone${dataField(data, "zone") ? ` (${dataField(data, "zone")})` : ""}: the contact's time zone is ${reason === "invalid" ? "not a known zone" : "not set"}`, detail: dataField(data, "given"), tone: "neutral" };
    case "paused":
      return { sentence: `Paused in ${sequenceName}`, detail: reason, tone: "neutral" };
    case "resumed":
      return { sentence: `Resumed in ${sequenceName}`, detail: reason, tone: "neutral" };
    case "exited": {
      const label = reason ? exitReasonWording(reason).toLowerCase() : "unknown reason";
      return { sentence: `Exited: ${label}`, detail: exitDetailWording(detail), tone: reason === "completed" || reason === "replied" ? "success" : "neutral" };
    }
    default:
      return { sentence: `${type.replaceAll("_", " ")}${reason ? `: ${reason}` : ""}`, detail, tone: "neutral" };
  }
}
