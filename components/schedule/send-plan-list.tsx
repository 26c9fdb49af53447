import { formatLocal } from "@/lib/schedule/describe";
import type { SendPlan } from "@/lib/sequences/schedule-preview";
import { ViewerTime } from "./viewer-time";

const FALLBACK_TEXT = { missing: "has no time zone", invalid: "has an unknown time zone" } as const;

/** One sequence's remaining steps: when each goes out in the contact's zone and the viewer's, and why. */
export function SendPlanList({ plan }: { plan: SendPlan }) {
  const { zone } = plan;
  return (
    <div className="grid gap-2 text-sm" data-testid="send-plan" data-sequence-id={plan.sequenceId}>
      <p className="text-muted-foreground">
        {plan.scheduleText}{" "}
        {zone.fallback
          ? `This contact ${FALLBACK_TEXT[zone.reason]}, so the sequence's zone (${zone.zone}) is used.`
          : `Planned in the contact's zone, ${zone.zone}.`}
        {plan.status === "paused" ? " Paused: these times assume it resumes now." : ""}
      </p>
      {plan.steps.length === 0 ? (
        <p>No steps left to send.</p>
      ) : (
        <ol className="grid gap-2">
          {plan.steps.map((step) => (
            <li key={step.stepId} className="rounded-md border px-3 py-2" data-testid="planned-step">
              <div className="font-medium">
                Step {step.number}: {step.subject}
              </div>
              <div>
                <time dateTime={step.at.toISOString()} data-testid="contact-time">
                  {formatLocal(step.at, zone.zone)} {zone.zone}
                </time>
                <span className="text-muted-foreground"> · </span>
                <ViewerTime at={step.at.toISOString()} />
              </div>
              {step.reasons.length > 0 ? (
                <div className="text-muted-foreground" data-testid="plan-reason">
                  {step.explanation}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
