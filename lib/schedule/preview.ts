/** Planned send times of a run's remaining steps, each counted from the one before. Pure. */
import { explainPlan } from "./describe";
import { planNextSend } from "./plan";
import type { Delay, HolidayCalendar, PlanReason, SendSchedule } from "./types";

export interface PlannedStep {
  stepId: string;
  /** 1-based, as the builder numbers steps. */
  number: number;
  subject: string;
  at: Date;
  due: Date;
  reasons: PlanReason[];
  /** "Saturday is not a sending day → Mon 9 Mar 09:00 Europe/Berlin". */
  explanation: string;
}

/**
 * Plans `steps[startIndex..]`: the first from `from`, every later one from the
 * planned time of the one before (as the run will, if nothing changes).
 */
export function planRemainingSteps(input: {
  steps: { id: string; subject: string; delay: Delay }[];
  startIndex: number;
  from: Date;
  schedule: SendSchedule | null;
  zone: string;
  holidays: HolidayCalendar | null;
  now: Date;
}): PlannedStep[] {
  const planned: PlannedStep[] = [];
  let from = input.from;
  for (let index = input.startIndex; index < input.steps.length; index++) {
    const step = input.steps[index];
    const plan = planNextSend({ from, delay: step.delay, schedule: input.schedule, zone: input.zone, holidays: input.holidays, now: input.now });
    planned.push({ stepId: step.id, number: index + 1, subject: step.subject, at: plan.at, due: plan.due, reasons: plan.reasons, explanation: explainPlan(plan) });
    from = plan.at;
  }
  return planned;
}
