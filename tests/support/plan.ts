import type { Db } from "../../lib/db/prisma";
import { planNextStep, type SendInput } from "../../lib/sequences/run-step";

/** What a run would send next: plans (recording it on the enrollment) and returns the claim's input. */
export async function plannedSend(db: Db, enrollmentId: string): Promise<SendInput> {
  const plan = await planNextStep(db, { enrollmentId });
  if (plan.kind !== "step") throw new Error(`expected a step to send, the plan is ${JSON.stringify(plan)}`);
  return { enrollmentId, stepId: plan.stepId, version: plan.version };
}
