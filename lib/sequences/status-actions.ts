/**
 * Which lifecycle actions a sequence's status allows (the rules
 * status-transitions.ts enforces), so that every screen offers the same ones.
 * Pure: imported by client components.
 */
export type SequenceStatusAction = "activate" | "pause" | "resume" | "archive";

const ALLOWED: Record<string, readonly SequenceStatusAction[]> = {
  draft: ["activate", "archive"],
  active: ["pause"],
  paused: ["resume", "archive"],
  archived: [],
};

/** The actions offered for a sequence in this status. */
export function allowedStatusActions(status: string): readonly SequenceStatusAction[] {
  return ALLOWED[status] ?? [];
}

export function allows(status: string, action: SequenceStatusAction): boolean {
  return allowedStatusActions(status).includes(action);
}
