/**
 * 7. Publishing a version of a sequence with 10,000 live enrollments
 * (docs/versions.md). All wait on step 2 (step 1 sent 12 hours ago, each a
 * second apart: no two contacts share an anchor, as in real life); the
 * draft deletes step 2 and lengthens step 3's delay, so every enrollment
 * moves (a step_moved line each). Timed in-process on the domain functions
 * the builder's page and action call: the preview (getDraftPreview: load
 * every enrollment's progress, migrate each, group, fingerprint) and the
 * publish (publishDraft: lock, re-plan and re-check the fingerprint, then
 * apply: write the steps, move every enrollment, log every move, record the
 * version), reported as re-check + apply. Baseline: one raw UPDATE moving
 * the same rows the same way, on an identical database, in the same run.
 * Targets: preview <= 2 s; apply <= 10x the raw UPDATE.
 */
import { setEventSender } from "../../lib/events/publish";
import { deleteStep, updateStep } from "../../lib/sequences/step-mutations";
import { getDraftPreview, publishDraft } from "../../lib/sequences/versions/publish-draft";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { timed } from "./lib/stats";

const ENROLLMENTS = 10_000;
const PREVIEW_TARGET_MS = 2_000;
const APPLY_RATIO_TARGET = 10;

async function prepare(cluster: BenchCluster, name: string) {
  const url = await cluster.createDatabase(name);
  const pool = rawPool(url, 1);
  try {
    await insertContacts(pool, ENROLLMENTS, name);
    const { id, stepIds } = await insertSequence(pool, { name: "Onboarding", steps: 5 });
    await pool.query(
      `INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "source", "waitingStepId", "sequenceVersion", "nextStepDueAt", "enrolledAt", "updatedAt")
       SELECT gen_random_uuid()::text, c."id", $1, 'manual', $2, 1, now() + interval '12 hours', now() - interval '12 hours', now() FROM "Contact" c`,
      [id, stepIds[1]],
    );
    await pool.query(
      `INSERT INTO "StepSend" ("id", "enrollmentId", "stepId", "status", "claimedAt", "sentAt")
       SELECT gen_random_uuid()::text, e."id", $2, 'sent', t, t
       FROM (SELECT "id", now() - interval '12 hours' - make_interval(secs => row_number() OVER (ORDER BY "id")) AS t FROM "Enrollment" WHERE "sequenceId" = $1) e`,
      [id, stepIds[0]],
    );
    await pool.query("VACUUM ANALYZE");
    return { url, sequenceId: id, stepIds };
  } finally {
    await pool.end();
  }
}

async function runProduct(cluster: BenchCluster) {
  const { url, sequenceId, stepIds } = await prepare(cluster, "publish_p");
  const db = await useAppDatabase(url);
  setEventSender(async () => {});
  try {
    await deleteStep(db, { sequenceId, stepId: stepIds[1] });
    await updateStep(db, { sequenceId, stepId: stepIds[2], subject: "Step 3", body: "Hello", delayAmount: 3, delayUnit: "days" });
    const preview = await timed(() => getDraftPreview(db, { sequenceId, backfill: false }));
    const publish = await timed(() => publishDraft(db, { sequenceId, token: preview.result.token, backfill: false }));
    if (publish.result.outcome !== "published") throw new Error("the publish was refused as stale");
    const [{ moved, events }] = await db.$queryRaw<{ moved: number; events: number }[]>`
      SELECT (SELECT count(*)::int FROM "Enrollment" WHERE "sequenceId" = ${sequenceId} AND "waitingStepId" = ${stepIds[2]} AND "sequenceVersion" = 2) AS "moved",
             (SELECT count(*)::int FROM "EnrollmentEvent" WHERE "type" = 'step_moved') AS "events"`;
    if (moved !== ENROLLMENTS || events !== ENROLLMENTS) throw new Error(`publish incomplete: ${moved} moved, ${events} step_moved lines`);
    // The publish = re-check (the preview again, under locks) + apply (the writes).
    return { preview_ms: preview.ms, publish_ms: publish.ms, recheck_ms: publish.result.timings.recheckMs, apply_ms: publish.result.timings.applyMs };
  } finally {
    setEventSender(null);
    await releaseAppDatabase();
    await cluster.dropDatabase("publish_p");
  }
}

async function runBaseline(cluster: BenchCluster) {
  const { url, sequenceId, stepIds } = await prepare(cluster, "publish_b");
  const pool = rawPool(url, 1);
  try {
    const { ms, result } = await timed(() =>
      pool.query(
        `UPDATE "Enrollment" SET "waitingStepId" = $2, "nextStepDueAt" = now() + interval '2 days', "sequenceVersion" = 2, "updatedAt" = now()
         WHERE "sequenceId" = $1 AND "status" IN ('active', 'paused')`,
        [sequenceId, stepIds[2]],
      ),
    );
    if (result.rowCount !== ENROLLMENTS) throw new Error(`raw update moved ${result.rowCount} rows`);
    return { update_ms: ms };
  } finally {
    await pool.end();
    await cluster.dropDatabase("publish_b");
  }
}

export async function benchPublish(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  const product = await runProduct(cluster);
  const baseline = await runBaseline(cluster);
  // "Apply" is the writes moving every enrollment (steps, places, timeline, version), compared with one raw UPDATE of the same rows.
  const ratio = product.apply_ms / baseline.update_ms;
  log(
    `[publish] preview ${product.preview_ms.toFixed(0)} ms, publish ${product.publish_ms.toFixed(0)} ms ` +
      `(re-check ${product.recheck_ms.toFixed(0)} + apply ${product.apply_ms.toFixed(0)}), raw UPDATE ${baseline.update_ms.toFixed(0)} ms`,
  );
  return {
    name: "publish_version",
    unit: `ms for ${ENROLLMENTS} live enrollments (ratio: apply / raw UPDATE)`,
    product,
    baseline,
    ratio,
    target: `preview <= ${PREVIEW_TARGET_MS} ms, apply <= ${APPLY_RATIO_TARGET}x raw`,
    pass: product.preview_ms <= PREVIEW_TARGET_MS && ratio <= APPLY_RATIO_TARGET,
    notes: { enrollments: ENROLLMENTS, edit: "step 2 deleted (everyone waits on it), step 3's delay 1 -> 3 days", baseline: "one raw UPDATE of the same rows" },
  };
}
