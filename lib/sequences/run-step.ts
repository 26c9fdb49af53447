/**
 * What a sequence run does at each step, against the database. The Inngest
 * function (inngest/functions/run-enrollment.ts) only sequences these calls
 * and sleeps between them; every decision is made here, on current data.
 */
import { now } from "../clock";
import { execute, queryRows } from "../db/direct";
import { Prisma, type Db } from "../db/prisma";
import { mailConfig } from "../email/config";
import { stepMessageId } from "../email/message-id";
import { composeStepMessage } from "../email/compose";
import { getTransport, TransientDeliveryError } from "../email/transports";
import { createUnsubscribeToken } from "../email/unsubscribe-token";
import { identityOf } from "../senders/identity";
import { sendRatePerMinute } from "../pacing/rate";
import { withTracking } from "../tracking/send-tracking";
import { endLiveEnrollments, publishExitEvents } from "./exit-contact";
import { loadPlanInput, type LiveEnrollment } from "./versions/load";
import { waitingStep, type Waiting } from "./versions/plan";
import { claimQuickly, claimStep, type Claimed } from "./claim-step";

/** What a send is for: the step the plan chose, under the version it planned with. */
export type SendInput = { enrollmentId: string; stepId: string; version: number };

export type StepPlan =
  | { kind: "stop"; reason: string }
  | { kind: "complete" }
  /**
   * `version`: the sequence version it was planned under (the claim refuses
   * another). `plannedAt`: when, so the run decides to wait from this
   * memoized value rather than from a clock read outside a step.
   */
  | { kind: "step"; stepId: string; dueAt: string; version: number; plannedAt: string }
  /** advanceEnrollment found every step handled and ended the enrollment itself. */
  | { kind: "completed" };

/** How often a plan is retried when a publish moved the enrollment while it was being made. */
const PLAN_ATTEMPTS = 3;

/**
 * The enrollment's next step and when it is due, by step identity: the step
 * it waits on if still live and unsent, else the first live unsent step
 * after it (lib/sequences/versions/plan.ts), its delay counted from the last
 * send (or enrollment). Records the step, the due time and the version on
 * the enrollment: the claim sends only what is recorded there, and the
 * self-healing job looks for overdue ones. A send that failed before the
 * transport accepted it is not done: that step is tried again.
 */
export async function planNextStep(db: Db, { enrollmentId }: { enrollmentId: string }): Promise<StepPlan> {
  for (let attempt = 1; ; attempt++) {
    const input = await loadPlanInput(db, enrollmentId);
    if (!input) return { kind: "stop", reason: "enrollment_not_found" };
    const { enrollment, steps } = input;
    if (enrollment.status !== "active") return { kind: "stop", reason: `enrollment_${enrollment.status}` };
    if (enrollment.sequenceStatus !== "active") return { kind: "stop", reason: `sequence_${enrollment.sequenceStatus}` };
    // Held by an out-of-office reply: planned as if it were then (so still inside the schedule).
    const from = Math.max(now().getTime(), enrollment.heldUntil ?? 0);
    const next = waitingStep(enrollment.state, steps, { now: new Date(from), rules: enrollment.rules });
    if (!next) return { kind: "complete" };
    // A publish that moved the enrollment since it was read wins; plan again from what it wrote.
    if (!(await recordPlan(db, enrollment, next)) && attempt < PLAN_ATTEMPTS) continue;
    return { kind: "step", stepId: next.step.id, dueAt: next.dueAt.toISOString(), version: enrollment.currentVersion, plannedAt: now().toISOString() };
  }
}

/**
 * How long a run waits for a step due at `dueAt`, measured on the app's
 * clock from `from`, in whole seconds rounded up (Inngest's resolution); 0
 * when it is due already. Not an instant: an engine whose clock runs ahead
 * of the app's, or that wakes a little early, would find an instant already
 * past and wake the run at once, again and again, each wake-up refused by
 * the claim as not due.
 */
export function waitUntilDue(dueAt: string, from: string): number {
  const ms = Date.parse(dueAt) - Date.parse(from);
  return ms <= 0 ? 0 : Math.ceil(ms / 1000) * 1000;
}

/** Schedule reasons that mean "held": the step waits for the window, a sending day or the end of a holiday. */
const HELD_BY_SCHEDULE = new Set(["outside_window", "non_sending_day", "holiday"]);

/**
 * Writes the plan unless it is already there, only if no publish changed
 * the enrollment since it was read. The timeline gets a line when a waiting
 * step was neither sent nor kept (deleted without a migration, e.g. enrolled
 * during a publish: a move), when a newly planned step is held by the
 * schedule, and, at the first plan, when the contact's zone fell back to the
 * sequence's. Enrollment.nextStepId is the triggers' (enrollment_next_step),
 * which follow the same identity rule.
 */
async function recordPlan(db: Db, enrollment: LiveEnrollment, next: Waiting): Promise<boolean> {
  const { state } = enrollment;
  const due = next.dueAt.getTime();
  if (state.waitingStepId === next.step.id && enrollment.sequenceVersion === enrollment.currentVersion && enrollment.nextStepDueAt === due) return true;
  const notes: { type: string; reason: string; data: unknown }[] = [];
  const newStep = state.waitingStepId !== next.step.id || enrollment.sequenceVersion === null;
  if (state.waitingStepId !== null && state.waitingStepId !== next.step.id && !state.done.has(state.waitingStepId)) {
    notes.push({ type: "step_moved", reason: "step_deleted", data: { fromStepId: state.waitingStepId, version: enrollment.currentVersion } });
  }
  const held = next.reasons.filter((r) => HELD_BY_SCHEDULE.has(r.code));
  if (newStep && held.length > 0) {
    notes.push({ type: "step_held", reason: held[0].code, data: { zone: state.zone, due: next.due.toISOString(), dueAt: next.dueAt.toISOString(), reasons: held } });
  }
  if (enrollment.sequenceVersion === null && enrollment.zone.fallback && enrollment.rules.schedule !== null) {
    const { reason, given, zone } = enrollment.zone;
    notes.push({ type: "zone_fallback", reason, data: { given, zone } });
  }
  const at = now();
  const [row] = await queryRows<{ updated: number }>(db, Prisma.sql`
    WITH planned AS (
      UPDATE "Enrollment" SET "waitingStepId" = ${next.step.id}, "sequenceVersion" = ${enrollment.currentVersion},
             "nextStepDueAt" = ${next.dueAt}, "currentStepIndex" = ${state.done.size}, "updatedAt" = ${at}
      WHERE "id" = ${enrollment.id} AND "status" = 'active'
        AND "sequenceVersion" IS NOT DISTINCT FROM ${enrollment.sequenceVersion}::int
        AND "waitingStepId" IS NOT DISTINCT FROM ${state.waitingStepId}::text
      RETURNING "id", "contactId", "sequenceId"
    ), noted AS (
      INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "data", "createdAt")
      SELECT n."type"::"EnrollmentEventType", p."contactId", p."sequenceId", p."id", ${next.step.id}, n."reason", n."data", ${at}
      FROM planned p CROSS JOIN jsonb_to_recordset(${JSON.stringify(notes)}::jsonb) AS n("type" text, "reason" text, "data" jsonb)
    )
    SELECT count(*)::int AS "updated" FROM planned`);
  return row.updated === 1;
}

/**
 * What a run does when it wakes (its wait timed out, or a publish woke it):
 * plan again from the database, send the step if it is due, and plan what
 * comes after. A stale or early wake-up sends nothing and returns the plan
 * to wait for. When nothing is left to send it ends the enrollment itself,
 * so the run's last send needs no further step (one request and checkpoint
 * fewer per run than a separate `complete` step).
 */
export async function advanceEnrollment(db: Db, { enrollmentId }: { enrollmentId: string }): Promise<StepPlan> {
  const plan = await planNextStep(db, { enrollmentId });
  if (plan.kind === "complete") return completed(db, enrollmentId);
  if (plan.kind !== "step" || new Date(plan.dueAt).getTime() > now().getTime()) return plan;
  const sent = await sendStep(db, { enrollmentId, stepId: plan.stepId, version: plan.version });
  if (sent.outcome === "stopped") return { kind: "stop", reason: sent.reason };
  // Held by the cap or the rate: the claim moved the due time; wait for it.
  if (sent.outcome === "held") return { ...plan, dueAt: sent.until, plannedAt: now().toISOString() };
  // If planning or completing fails, the retry sends nothing twice: the claim says "already handled".
  const next = await planNextStep(db, { enrollmentId });
  return next.kind === "complete" ? completed(db, enrollmentId) : next;
}

/** Ends an enrollment with nothing left to send, as a plan: `completed`. */
export async function completed(db: Db, enrollmentId: string): Promise<StepPlan> {
  await completeEnrollment(db, { enrollmentId });
  return { kind: "completed" };
}

export type SendOutcome =
  | { outcome: "sent"; messageId: string }
  /** Not due yet (an early wake-up): nothing was claimed; wait again. */
  | { outcome: "not_due"; dueAt: string }
  /** The enrollment waits on another step or follows another version now: plan again. */
  | { outcome: "replanned" }
  /** Held by the daily cap or the send rate (lib/pacing): nothing was claimed; due again at `until`. */
  | { outcome: "held"; reason: string; until: string }
  | { outcome: "skipped"; reason: string }
  | { outcome: "stopped"; reason: string }
  | { outcome: "already_handled"; status: string }
  | { outcome: "failed"; error: string };

/**
 * Sends one step to one enrolled contact, at most once, and only if they may
 * still receive it. In one transaction it locks and re-reads the enrollment
 * and the contact, refuses (and logs why) unless all is well, and claims the
 * unique (enrollment, step) send record; it delivers after the commit.
 * "All is well" includes: the step is the one the enrollment waits on, under
 * the version the plan was made with, and it is due (never early: a run the
 * executor wakes a little early goes back to waiting).
 */
export async function sendStep(db: Db, input: SendInput): Promise<SendOutcome> {
  // The common case in one statement, its own transaction; anything else (a
  // refusal to log, an earlier claim) takes the step-by-step path in a
  // transaction, which re-reads everything under the same locks. A send
  // rate paces every claim, which the one-statement path does not do.
  const quick = sendRatePerMinute() === null ? await claimQuickly(db, input) : null;
  const decision = quick ?? (await db.$transaction((tx) => claimStep(tx, input)));
  if (!("sendId" in decision)) return decision;
  return deliver(db, input, decision);
}

async function deliver(db: Db, { enrollmentId, stepId }: SendInput, claimed: Claimed): Promise<SendOutcome> {
  const config = mailConfig();
  const token = createUnsubscribeToken({ contactId: claimed.contact.id, messageRef: claimed.sendId }, { now: now() });
  const sender = identityOf(claimed.sender);
  const untracked = composeStepMessage({ subject: claimed.step.subject, body: claimed.step.body, contact: claimed.contact, unsubscribeToken: token, senderName: sender.senderName });
  const rendered = await withTracking(db, { sendId: claimed.sendId, trackingEnabled: claimed.trackingEnabled, appUrl: config.appUrl }, untracked);
  const messageId = stepMessageId({ enrollmentId, stepId }, config.messageIdDomain);
  const log = { contactId: claimed.contact.id, sequenceId: claimed.sequenceId, enrollmentId, stepId };

  try {
    await getTransport(db).deliver({
      from: sender.from,
      replyTo: sender.replyTo,
      to: claimed.contact.email,
      ...rendered,
      messageId,
      idempotencyKey: `${enrollmentId}:${stepId}`,
      refs: { contactId: claimed.contact.id, enrollmentId, stepId },
    });
  } catch (error) {
    const transient = error instanceof TransientDeliveryError;
    const message = error instanceof Error ? error.message : String(error);
    await db.$transaction([
      lockEnrollmentFirst(db, enrollmentId),
      db.stepSend.update({ where: { id: claimed.sendId }, data: { status: "failed", retryable: transient, error: message.slice(0, 1000) } }),
      db.enrollmentEvent.create({ data: { type: "step_failed", ...log, reason: transient ? "delivery_not_accepted" : "delivery_failed", data: { error: message.slice(0, 500) } } }),
    ]);
    // Not accepted: safe to retry, so let Inngest retry the step.
    if (transient) throw error;
    return { outcome: "failed", error: message };
  }

  const sentAt = now();
  // One statement (its own transaction) for the lock, the record and its
  // log line. The update is gated on the lock's row (an uncorrelated
  // EXISTS: PostgreSQL evaluates it once, before the update reads any row),
  // so the enrollment's lock is taken before the send record's, as
  // lockEnrollmentFirst explains. The enrollment cannot be missing: its
  // send records keep it (no cascade).
  const marked = await execute(db, Prisma.sql`
    WITH locked AS (
      SELECT 1 FROM "Enrollment" WHERE "id" = ${enrollmentId} FOR KEY SHARE
    ), sent AS (
      UPDATE "StepSend" SET "status" = 'sent', "messageId" = ${messageId}, "sentAt" = ${sentAt}
      WHERE "id" = ${claimed.sendId} AND EXISTS (SELECT 1 FROM locked) RETURNING "id"
    )
    INSERT INTO "EnrollmentEvent" ("type", "contactId", "sequenceId", "enrollmentId", "stepId", "reason", "createdAt")
    SELECT 'step_sent', ${log.contactId}, ${log.sequenceId}, ${enrollmentId}, ${stepId}, ${rendered.subject.slice(0, 200)}, ${sentAt} FROM sent`);
  if (marked !== 1) throw new Error(`Send record ${claimed.sendId} vanished before it could be marked sent`);
  return { outcome: "sent", messageId };
}

/**
 * The first statement of recording a send's outcome. The outcome's log line
 * references the enrollment, so its foreign key check takes a KEY SHARE lock
 * on it. Taken after the send record's row lock, that waited on a concurrent
 * claim of the same step (a restarted run), which holds the enrollment FOR
 * UPDATE and itself waited on the send record: a deadlock. Taken first, the
 * outcome simply waits for that claim to finish.
 */
function lockEnrollmentFirst(db: Db, enrollmentId: string) {
  return db.$queryRaw`SELECT 1 FROM "Enrollment" WHERE "id" = ${enrollmentId} FOR KEY SHARE`;
}

/** Ends an enrollment whose every step has been handled. */
export async function completeEnrollment(db: Db, input: { enrollmentId: string }): Promise<{ completed: boolean }> {
  const [enrollment] = await queryRows<{ contactId: string; sequenceId: string }>(db, Prisma.sql`
    SELECT "contactId", "sequenceId" FROM "Enrollment" WHERE "id" = ${input.enrollmentId}`);
  if (!enrollment) return { completed: false };
  // exitContact without its transaction (one statement is its own): a run
  // is not an audited action, whose client writes in the change's transaction.
  const exit = { ...enrollment, enrollmentId: input.enrollmentId, reason: "completed" } as const;
  const exited = await endLiveEnrollments(db, exit);
  await publishExitEvents(exit, exited);
  return { completed: exited.length > 0 };
}
