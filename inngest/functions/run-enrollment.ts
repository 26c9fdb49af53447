import { getDb } from "@/lib/db/client";
import { completeEnrollment, planNextStep, sendStep, type StepPlan } from "@/lib/sequences/run-step";
import { inngest } from "../client";
import { contactOptedOut, contactRemoved, contactReplied, enrollmentStarted } from "../events";

/** Safety net: a sequence longer than this is not a sequence, it is a bug. */
const MAX_STEPS = 100;

// CEL: `event` is the run's trigger, `async` the incoming cancel event.
// Every cancel is matched on the contact; none may cancel every run.
const SAME_CONTACT = "async.data.contactId == event.data.contactId";
const SAME_OR_ANY_SEQUENCE = "(async.data.sequenceId == null || async.data.sequenceId == event.data.sequenceId)";

export const RUN_ENROLLMENT_CANCEL_ON = [
  { event: contactOptedOut, if: SAME_CONTACT },
  { event: contactRemoved, if: `${SAME_CONTACT} && ${SAME_OR_ANY_SEQUENCE}` },
  { event: contactReplied, if: `event.data.exitOnReply == true && ${SAME_CONTACT} && ${SAME_OR_ANY_SEQUENCE}` },
];

/**
 * One run per enrollment: for each step, sleep until it is due, then send it.
 * Cancellation by the contact.* events is an optimisation; the guarantee is
 * that planNextStep and sendStep re-check the database every time.
 *
 * Step ids must never be reused with another meaning: live runs replay them.
 * `plan-0` and `wait-N` are as they always were. `deliver-N` sends step N and
 * plans what comes next in one step (one round trip to Inngest per email,
 * not two); it replaced `send-N` + `plan-N`, whose memoized results a run
 * started before that change simply never reads: its `deliver-N` sends again,
 * which the unique claim turns into "already handled".
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
    for (let n = 0; n < MAX_STEPS; n++) {
      if (plan.kind === "stop") return { stopped: plan.reason, steps: n };
      if (plan.kind === "complete") {
        await step.run("complete", () => completeEnrollment(db, { enrollmentId }));
        return { completed: true, steps: n };
      }
      await step.sleepUntil(`wait-${n}`, plan.dueAt);
      const { stepId } = plan;
      plan = await step.run(`deliver-${n}`, async (): Promise<StepPlan> => {
        const sent = await sendStep(db, { enrollmentId, stepId });
        if (sent.outcome === "stopped") return { kind: "stop", reason: sent.reason };
        // If planning fails, the retry sends nothing twice: the claim says "already handled".
        return planNextStep(db, { enrollmentId });
      });
    }
    throw new Error(`Enrollment ${enrollmentId} exceeded ${MAX_STEPS} steps`);
  },
);
