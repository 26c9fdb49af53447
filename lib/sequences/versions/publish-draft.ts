/**
 * Publishing and discarding a draft. Publishing re-computes the preview in
 * one transaction (sequence locked, then its live enrollments), compares its
 * token with the one the marketer saw, and only then writes the draft into
 * the step rows and applies that very plan: the plan applied is the plan
 * previewed. A changed token is a refusal, returned as a value with the fresh
 * preview's token, and nothing is written.
 */
import "server-only";
import { performance } from "node:perf_hooks";
import type { Db } from "../../db/prisma";
import { AppError } from "../../errors";
import { publishEvents } from "../../events/publish";
import { parseOrThrow } from "../../validations/parse";
import { ZSequenceRef, type TSequenceRef } from "../../validations/sequence";
import { ZPublishDraft, type TPublishDraft } from "../../validations/versions";
import { assertEditable, lockSequence } from "../sequence-lock";
import { diffSteps, summarizeDiff } from "./diff";
import { clearDraft, materializeDraft, readDraft } from "./draft-store";
import type { MigrationPolicy } from "./migrate";
import { NO_DRAFT, previewDraft } from "./preview";
import { publishVersion, sequencePublishedEvent, type PublishPlan } from "./publish";

/** How long the re-check (re-planning every contact) and the writes took, in ms: for the benchmark. */
type PublishTimings = { recheckMs: number; applyMs: number };

export type PublishOutcome =
  | { outcome: "published"; version: number | null; counts: PublishPlan["counts"] | null; timings: PublishTimings }
  | { outcome: "stale"; token: string };

export const STALE_PREVIEW = "Contacts moved since this preview (a send, an exit or an enrollment), or the draft changed. Nothing was published: read the fresh preview and publish again.";

export const policyOf = (backfill: boolean): MigrationPolicy => ({ insertedBehind: backfill ? "send" : "skip" });

export async function publishDraft(db: Db, input: TPublishDraft, actor: { publishedBy?: string | null } = {}): Promise<PublishOutcome> {
  const { sequenceId, token, backfill } = parseOrThrow(ZPublishDraft, input);
  const result = await db.$transaction(
    async (tx): Promise<PublishOutcome> => {
      const started = performance.now();
      assertEditable((await lockSequence(tx, sequenceId)).status);
      const preview = await previewDraft(tx, sequenceId, policyOf(backfill), { lock: true });
      if (preview.token !== token) return { outcome: "stale", token: preview.token };
      const checked = performance.now();
      const timings = () => ({ recheckMs: checked - started, applyMs: performance.now() - checked });
      const summary = summarizeDiff(diffSteps(preview.live, preview.draft.steps));
      await materializeDraft(tx, sequenceId, preview.draft.steps);
      await clearDraft(tx, sequenceId);
      // Nobody left to migrate (everyone exited since the draft began): the steps change, no version.
      if (preview.plan.live.length === 0) return { outcome: "published", version: null, counts: null, timings: timings() };
      const published = await publishVersion(tx, { sequenceId, before: preview.live, summary, publishedBy: actor.publishedBy, policy: policyOf(backfill), plan: preview.plan });
      return { outcome: "published", version: published?.version ?? null, counts: published?.counts ?? null, timings: timings() };
    },
    // 10,000 enrollments migrate in well under this; the default 5 s is tight on a loaded machine.
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (result.outcome === "published" && result.version !== null) await publishEvents([sequencePublishedEvent(sequenceId, result.version)]);
  return result;
}

/** Drops the draft: the live steps stay as they are. */
export async function discardDraft(db: Db, input: TSequenceRef): Promise<{ discarded: true }> {
  const { sequenceId } = parseOrThrow(ZSequenceRef, input);
  return db.$transaction(async (tx) => {
    assertEditable((await lockSequence(tx, sequenceId)).status);
    if (!(await readDraft(tx, sequenceId))) throw new AppError("conflict", NO_DRAFT);
    await clearDraft(tx, sequenceId);
    return { discarded: true as const };
  });
}

/** The preview, read-only (the page's): its own short transaction, nothing locked but the sequence. */
export async function getDraftPreview(db: Db, input: TSequenceRef & { backfill: boolean }) {
  const { sequenceId } = parseOrThrow(ZSequenceRef, { sequenceId: input.sequenceId });
  return db.$transaction(
    async (tx) => {
      // Waits for an edit or publish in flight, so the preview shows its result.
      await lockSequence(tx, sequenceId);
      return previewDraft(tx, sequenceId, policyOf(input.backfill));
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

