import { getDb } from "@/lib/db/client";
import { advanceMembers, cohortWait, planMembers, waitingPlans, type Cohort, type MemberPlans } from "@/lib/sequences/run-cohort";
import { inngest } from "../client";
import { enrollmentsStarted, sequencePublished } from "../events";

/** As run-enrollment's: a cohort wakes once per distinct due time of its members, or on a publish. */
const MAX_WAKES = 400;

/**
 * One run for up to 100 enrollments of one sequence made together (a bulk
 * enrollment, an import, a resume): the same plans and sends as a run per
 * enrollment (run-enrollment.ts), but one Inngest request and step serve
 * every member due at that time, instead of one per member and email.
 *
 * It is not cancelled by the contact.* events (one member's exit must not
 * stop the others): a member who opted out, replied or was removed is
 * refused by the claim, which re-checks the database under locks, and
 * leaves the cohort at its next plan ("stop"). Members that fail are handed
 * to runs of their own (lib/sequences/run-cohort.ts), and a lost cohort's
 * members are restarted one by one by the self-healing job, as any lost run.
 *
 * Step ids: `plan-0` (every member's first plan), `until-N` (wait for the
 * earliest due member, or a publish of the sequence), `deliver-N` (advance
 * the members due, or all on a publish).
 */
export const runCohort = inngest.createFunction(
  {
    id: "run-enrollment-cohort",
    name: "Run enrollments started together",
    triggers: [enrollmentsStarted],
    idempotency: "event.data.runKey",
    retries: 5,
  },
  async ({ event, step }) => {
    const cohort: Cohort = event.data;
    const db = getDb();
    const first = await step.run("plan-0", () => planMembers(db, cohort));
    let plans: MemberPlans = first.plans;
    let at = first.at;
    for (let n = 0; n < MAX_WAKES; n++) {
      const waiting = waitingPlans(plans);
      if (Object.keys(waiting).length === 0) return { members: cohort.members.length, wakes: n, outcomes: outcomes(plans) };
      const wait = cohortWait(waiting, at);
      let everyone = false;
      if (wait > 0) {
        // A publish of this sequence wakes it early to re-plan every waiting member.
        const published = await step.waitForEvent(`until-${n}`, { event: sequencePublished, match: "data.sequenceId", timeout: wait });
        everyone = published !== null;
      }
      const advanced = await step.run(`deliver-${n}`, () => advanceMembers(db, cohort, { waiting, everyone, stepName: `deliver-${n}` }));
      plans = { ...plans, ...advanced.plans };
      at = advanced.at;
    }
    throw new Error(`Cohort ${cohort.runKey} exceeded ${MAX_WAKES} wake-ups`);
  },
);

/** How the members ended, for the run's output: e.g. { completed: 97, "stop:enrollment_opted_out": 3 }. */
function outcomes(plans: MemberPlans): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const plan of Object.values(plans)) {
    const key = plan.kind === "stop" ? `stop:${plan.reason}` : plan.kind;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
