/**
 * What a draft needs before it can be activated, as a checklist the builder
 * shows live (the same rules activateSequence enforces in
 * status-transitions.ts). Pure: imported by client components.
 */
import { bodyIsEmpty } from "../email/body-doc";

export type ActivationCheck = { id: "steps" | "content" | "entry"; label: string; done: boolean; detail?: string };

type Draft = { steps: { subject: string; body: string }[]; hasTriggers: boolean; manualOnly: boolean };

export function activationChecklist({ steps, hasTriggers, manualOnly }: Draft): ActivationCheck[] {
  const incomplete = steps.flatMap((step, index) => {
    const lacks = [!step.subject.trim() && "a subject", bodyIsEmpty(step.body) && "a body"].filter(Boolean);
    return lacks.length ? [`Step ${index + 1} needs ${lacks.join(" and ")}.`] : [];
  });
  return [
    { id: "steps", label: "At least one step", done: steps.length > 0 },
    { id: "content", label: "Every step has a subject and a body", done: steps.length > 0 && incomplete.length === 0, detail: incomplete.join(" ") || undefined },
    { id: "entry", label: "An entry trigger, or manual enrollment only", done: hasTriggers || manualOnly },
  ];
}
