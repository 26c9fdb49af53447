/**
 * The preview of publishing a draft: every live enrollment's migration
 * (planPublish with the draft's steps), grouped with examples, and a token
 * fingerprinting everything the plan was computed from. Publishing computes
 * the token again in its transaction and refuses when it differs: someone
 * moved (a send, an exit, an enrollment), the draft or the schedule changed.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { Tx } from "../../db/prisma";
import { AppError } from "../../errors";
import { liveDraftSteps, type DraftStep, type StoredDraft } from "./draft";
import { readDraft, stepsAsDraft } from "./draft-store";
import type { LiveEnrollment } from "./load";
import type { MigrationPolicy } from "./migrate";
import { planPublish, type PublishPlan } from "./publish";
import { groupMoves, type MoveGroup } from "./preview-groups";

export type DraftPreview = {
  token: string;
  draft: StoredDraft;
  /** The live rows as draft steps: the "before" side. */
  live: DraftStep[];
  plan: PublishPlan & { live: LiveEnrollment[] };
  groups: MoveGroup[];
};

export const NO_DRAFT = "This sequence has no unpublished changes.";

/** Call in a transaction holding the sequence's lock; `lock` also locks the live enrollments (publishing). */
export async function previewDraft(tx: Tx, sequenceId: string, policy: MigrationPolicy, options: { lock?: boolean } = {}): Promise<DraftPreview> {
  const draft = await readDraft(tx, sequenceId);
  if (!draft) throw new AppError("conflict", NO_DRAFT);
  const live = await stepsAsDraft(tx, sequenceId);
  const plan = await planPublish(tx, { sequenceId, before: live, after: draft.steps, policy, lock: options.lock });
  const sequence = await tx.sequence.findUniqueOrThrow({ where: { id: sequenceId }, select: { version: true, schedule: true, timezone: true } });
  const token = fingerprint({ sequence, draft, policy, live: plan.live });
  return { token, draft, live, plan, groups: groupMoves(plan.moves, liveDraftSteps(live), liveDraftSteps(draft.steps)) };
}

/** A digest of the plan's inputs (not of its times, which follow the clock). */
function fingerprint(input: { sequence: unknown; draft: StoredDraft; policy: MigrationPolicy; live: LiveEnrollment[] }): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([input.sequence, input.draft, input.policy]));
  const live = [...input.live].sort((a, b) => (a.id < b.id ? -1 : 1));
  // One line per enrollment, fed in chunks (one update call per row cost more than the hashing).
  let chunk = "";
  for (const e of live) {
    const done = e.state.done.size < 2 ? [...e.state.done] : [...e.state.done].sort();
    chunk += `${e.id}\t${e.status}\t${e.sequenceVersion}\t${e.nextStepDueAt}\t${e.state.waitingStepId}\t${done.join(",")}\t${e.state.anchor.getTime()}\t${e.state.zone}\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = "";
    }
  }
  hash.update(chunk);
  return hash.digest("base64url");
}
