import { getDb } from "@/lib/db/client";
import { advanceEnrollment, completeEnrollment, planNextStep, waitUntilDue, type StepPlan } from "@/lib/sequences/run-step";
import { inngest } from "../client";
import { contactOptedOut, contactRemoved, contactReplied, enrollmentStarted, sequencePublished } from "../events";

/**
 * Safety net: the number of wake-ups (a send, a publish, an early wake) one
 * run handles. Each costs two steps and Inngest allows 1,000 per run. A run
 * that reaches it fails; its enrollment stays active with a due time, so the
 * self-healing job starts a fresh run from what the database says is next.
 */
const MAX_WAKES = 400;

// CEL: `event` is the run's trigger, `async` the incoming cancel event.
// Every cancel is matched on the contact; none may cancel every run.
const SAME_CONTACT = "async.data.contactId == event.data.contactId";
const SAME_OR_ANY_SEQUENCE = "(async.data.sequenceId == null || async.data.sequenceId == event.data.sequenceId)";

export const RUN_ENROLLMENT_CANCEL_ON = [
  { event: contactOptedOut, if: SAME_CONTACT },
  { event: contactRemoved, if: `${SAME_CONTACT} && ${SAME_OR_ANY_SEQUENCE}` },
  { event: contactReplied, if: `event.data.exitOnReply == true && ${SAME_CONTACT} && ${SAME_OR_ANY_SEQUENCE}` },
];

/** Wait only for a plan made by this code (it has a version) and due later than when it was made. */
function dueLater(plan: StepPlan): plan is Extract<StepPlan, { kind: "step" }> {
  return plan.kind === "step" && plan.version !== undefined && plan.plannedAt !== undefined && plan.dueAt > plan.plannedAt;
}

/** How long to wait for a plan that is due later (at least a second: dueLater). */
function waitFor(plan: Extract<StepPlan, { kind: "step" }>): number {
  return Math.max(1000, waitUntilDue(plan.dueAt, plan.plannedAt));
}

/**
 * One run per enrollment: wait until the next step is due (or a publish of
 * its sequence), then plan again from the database and send it if due.
 * Cancellation by the contact.* events is an optimisation; the guarantee is
 * that planNextStep and sendStep re-check the database every time, and the
 * claim sends only the step the enrollment waits on, under the version the
 * plan was made with, once it is due. A missed publish event makes a send
 * late (the wait times out at the old due time and re-plans), never early
 * (the claim checks the due time) and never twice (the unique claim).
 *
 * Step ids never change meaning; live runs replay them:
 *  - `plan-0`: the first plan. `complete`: ends the enrollment when the
 *    first plan (or a memoized `deliver-N` of a run started before
 *    `deliver-N` ended enrollments itself) found nothing left to send.
 *  - `until-N`: the Nth wait (new: waitForEvent with the due time as timeout).
 *  - `deliver-N`: plan again, send the step if due, plan what is next, and
 *    end the enrollment when nothing is (plan kind `completed`). It
 *    replaced `send-N` + `plan-N` earlier, and keeps its meaning here; its
 *    N now counts wake-ups rather than steps, which only matters to runs
 *    started before this change (below).
 *  - `wait-N` (sleepUntil) is no longer used.
 * A run started before this change replays its memoized `plan-0` and
 * `deliver-N` results: plans without a version, on which it never waits (a
 * memoized `wait-N` was already over when the run was called). It goes
 * straight to the next `deliver-N`, which re-plans from the database and
 * sends only what is due; a not-due plan comes back with a version and the
 * run waits on it from then on. So an old run finishes like a new one, and
 * the unique claim makes any step it had sent "already handled".
 */
export const runEnrollment = inngest.createFunction(
  {
    id: "run-enrollment",
    name: "Run a sequence enrollment",
    triggers: [enrollmentStarted],
    idempotency: "event.data.runKey",
    cancelOn: RUN_ENROLLMENT_CANCEL_ON,
    retries: 5,
  },
  async ({ event, step }) => {
    const { enrollmentId } = event.data;
    const db = getDb();
    let plan = await step.run("plan-0", () => planNextStep(db, { enrollmentId }));
    for (let n = 0; n < MAX_WAKES; n++) {
      if (plan.kind === "stop") return { stopped: plan.reason, wakes: n };
      if (plan.kind === "completed") return { completed: true, wakes: n };
      if (plan.kind === "complete") {
        await step.run("complete", () => completeEnrollment(db, { enrollmentId }));
        return { completed: true, wakes: n };
      }
      if (dueLater(plan)) {
        // A publish of this sequence wakes it early to re-plan; events sent
        // before this wait registered are not seen, hence the re-plan below.
        await step.waitForEvent(`until-${n}`, { event: sequencePublished, match: "data.sequenceId", timeout: waitFor(plan) });
      }
      plan = await step.run(`deliver-${n}`, () => advanceEnrollment(db, { enrollmentId }));
    }
    throw new Error(`Enrollment ${enrollmentId} exceeded ${MAX_WAKES} wake-ups`);
  },
);
