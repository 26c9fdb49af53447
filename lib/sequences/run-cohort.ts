/**
 * What a cohort run (inngest/functions/run-cohort.ts) does at each step:
 * the single run's own functions (planNextStep, advanceEnrollment), once per
 * member. Every guarantee of the send path is per member and lives in those
 * functions and the database (the claim re-checks status, version and due
 * time under locks), so a cohort shares only the requests: one step plans
 * or sends for every member that is due, instead of a request per member.
 */
import { now } from "../clock";
import type { Db } from "../db/prisma";
import { publishEvents } from "../events/publish";
import { advanceEnrollment, completed, planNextStep, waitUntilDue, type StepPlan } from "./run-step";
import { enrollmentStartedEvent } from "./run-events";

export type CohortMember = { enrollmentId: string; contactId: string };
export type Cohort = { sequenceId: string; exitOnReply: boolean; members: CohortMember[]; runKey: string };
/** Each member's plan by enrollment id; a step returns only the plans it made. */
export type MemberPlans = Record<string, StepPlan>;
/** `at`: when the step ran, on the app's clock, from which the run measures its next wait. */
export type CohortStep = { at: string; plans: MemberPlans };
export type WaitingPlan = Extract<StepPlan, { kind: "step" }>;

/** A member that failed was handed to a run of its own, which retries it with Inngest's backoff. */
export const HANDED_OFF = "handed_to_own_run";

/**
 * Members worked on at once within a step: each has a few statements in
 * flight, like as many single runs, and the database pool is shared with
 * the cohort's other runs and the admin pages.
 */
const MEMBERS_AT_ONCE = 4;

/** The first step: each member's first plan; a member with nothing to send is ended. */
export function planMembers(db: Db, cohort: Cohort): Promise<CohortStep> {
  return forEachMember(cohort, cohort.members, "plan-0", async ({ enrollmentId }) => {
    const plan = await planNextStep(db, { enrollmentId });
    return plan.kind === "complete" ? completed(db, enrollmentId) : plan;
  });
}

/**
 * A wake-up: advances (plans again, sends if due, plans what is next) the
 * members whose planned step is due by now, or every waiting member when a
 * publish of the sequence woke the run (their plans may have moved).
 * Members not due keep their plans.
 */
export function advanceMembers(db: Db, cohort: Cohort, input: { waiting: Record<string, WaitingPlan>; everyone: boolean; stepName: string }): Promise<CohortStep> {
  const at = now().getTime();
  const due = cohort.members.filter(({ enrollmentId }) => {
    const plan = input.waiting[enrollmentId];
    return plan !== undefined && (input.everyone || Date.parse(plan.dueAt) <= at);
  });
  return forEachMember(cohort, due, input.stepName, ({ enrollmentId }) => advanceEnrollment(db, { enrollmentId }));
}

/**
 * Runs `work` for each member, a few at a time. A member whose work throws
 * (a transport that did not accept the message, a lost connection) is
 * handed to a run of its own instead of failing the step: its retries then
 * take Inngest's backoff without holding back the other members, whose
 * sends a retried step would only find already handled. If the hand-off
 * cannot be published, the step fails and is retried as a whole.
 */
async function forEachMember(cohort: Cohort, members: CohortMember[], stepName: string, work: (member: CohortMember) => Promise<StepPlan>): Promise<CohortStep> {
  const plans: MemberPlans = {};
  const failed: CohortMember[] = [];
  let next = 0;
  const worker = async () => {
    for (let member = members[next++]; member; member = members[next++]) {
      try {
        plans[member.enrollmentId] = await work(member);
      } catch (error) {
        console.warn(`[cohort ${cohort.runKey}] enrollment ${member.enrollmentId} handed to its own run:`, error instanceof Error ? error.message : error);
        failed.push(member);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MEMBERS_AT_ONCE, members.length) }, worker));
  if (failed.length > 0) {
    const handOff = failed.map(({ enrollmentId, contactId }) =>
      enrollmentStartedEvent({ enrollmentId, contactId, sequenceId: cohort.sequenceId, exitOnReply: cohort.exitOnReply, restartKey: `${cohort.runKey}:${stepName}` }),
    );
    if (!(await publishEvents(handOff))) throw new Error(`Could not hand ${failed.length} failed member(s) of ${cohort.runKey} to runs of their own`);
    for (const { enrollmentId } of failed) plans[enrollmentId] = { kind: "stop", reason: HANDED_OFF };
  }
  return { at: now().toISOString(), plans };
}

/** The members still waiting on a step, by enrollment id. */
export function waitingPlans(plans: MemberPlans): Record<string, WaitingPlan> {
  const waiting: Record<string, WaitingPlan> = {};
  for (const [enrollmentId, plan] of Object.entries(plans)) if (plan.kind === "step") waiting[enrollmentId] = plan;
  return waiting;
}

/** How long to wait for the earliest waiting member, from the last step (waitUntilDue); 0 when one is due already. */
export function cohortWait(waiting: Record<string, WaitingPlan>, at: string): number {
  return Math.min(...Object.values(waiting).map((plan) => waitUntilDue(plan.dueAt, at)));
}
