/**
 * 4. Admin queries at scale (100,000 contacts, 300,000 enrollments,
 * 1,000,000 event-log rows, 3,000,000 tracking events): the contacts list
 * (tag filter + search + page 2), a contact's timeline, a sequence's
 * per-step stats, the activity page, the sequences list (sorted by active
 * contacts) and the engagement reads (a sequence's analytics, the sequence
 * page's stats and analytics together, the list's rate columns, a contact's
 * opens and clicks), each 50 times, against an indexed `SELECT ... LIMIT 50`
 * on the same table. Product and
 * baseline run alternately through the same Prisma client (the app's data
 * layer); the same baselines straight through `pg` are in the notes.
 */
import { listActivityPage } from "../../lib/activity/activity-log";
import { contactTimeline } from "../../lib/contacts/contact-detail";
import { contactListStatements, queryContactList } from "../../lib/contacts/list-contacts";
import { migrateDeploy } from "../../lib/db/migrate";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { sequenceListPage, sequenceListSql } from "../../lib/sequences/sequence-list";
import { getSequenceStats } from "../../lib/sequences/stats";
import { ZActivityParams } from "../../lib/validations/activity";
import { CONTACT_SORTS, ZContactListParams } from "../../lib/validations/contact-list";
import { getSequenceAnalytics } from "../../lib/tracking/analytics";
import { contactEngagement } from "../../lib/tracking/contact-engagement";
import { type BenchCluster, rawPool, urlFor } from "./lib/database";
import { describeKeptSet, divergence, type KeptSet, planKeptSet, schemaMigrations } from "./lib/kept-set";
import { benchOptions } from "./lib/options";
import type { BenchResult } from "./lib/report";
import { buildScaleData, type Scale } from "./lib/scale-data";
import { median, percentile, timed } from "./lib/stats";

const RUNS = 50;
const WARMUP = 5;
const P95_TARGET_MS = 50;
const RATIO_TARGET = 5;

type Query = {
  name: string;
  product: (i: number) => Promise<unknown>;
  /** The baseline's SQL and parameters for run i. */
  baseline: (i: number) => [string, unknown[]];
  /** The ratio target; null: the p95 target alone (reads that sum counters have no LIMIT-50 equivalent). */
  ratioTarget?: number | null;
};

/** The data set's marker: a kept set without the engagement rows is rebuilt. */
const dataSetName = (scale: Scale) => `${scale.name}+tracking`;

async function inputs(db: Db) {
  const [tag] = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Tag" ORDER BY "name" LIMIT 1`;
  const contacts = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Contact" ORDER BY md5("id") LIMIT ${RUNS}`;
  const sequences = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Sequence" ORDER BY "name"`;
  const deepCursor = await cursorAfter(db, DEEP_ROWS);
  return { tagId: tag.id, contactIds: contacts.map((c) => c.id), sequenceIds: sequences.map((s) => s.id), deepCursor };
}

/**
 * A deep page of the unfiltered list in its default order, reached as the
 * page's Next link reaches it: a cursor (`after`) at the 10,000th contact,
 * the last row of page 400. By page number (OFFSET) its cost grew with the
 * depth; from a cursor it is a range scan of contact_live_created.
 */
const DEEP_ROWS = 10_000;

/** The Next link's cursor after the first `rows` contacts of the unfiltered list in this order. */
async function cursorAfter(db: Db, rows: number, order: Record<string, string> = {}): Promise<string> {
  const page = await queryContactList(db, ZContactListParams.parse({ ...order, page: rows / 25 }), 25);
  if (!page.nextCursor || page.items.length !== 25) throw new Error(`the list has no page after its first ${rows} contacts`);
  return page.nextCursor;
}

function queries(db: Db, input: Awaited<ReturnType<typeof inputs>>): Query[] {
  const listParams = ZContactListParams.parse({ q: "ada", tag: input.tagId, page: 2 });
  const deepParams = ZContactListParams.parse({ after: input.deepCursor });
  const at = <T>(xs: T[], i: number) => xs[i % xs.length];
  return [
    {
      name: "contacts_list",
      product: () => queryContactList(db, listParams),
      baseline: () => [`SELECT "id", "email", "firstName", "lastName", "leadScore", "status", "createdAt" FROM "Contact" WHERE "deletedAt" IS NULL ORDER BY "createdAt" DESC LIMIT 50`, []],
    },
    {
      name: "contacts_list_deep",
      product: () => queryContactList(db, deepParams),
      baseline: () => [`SELECT "id", "email", "firstName", "lastName", "leadScore", "status", "createdAt" FROM "Contact" WHERE "deletedAt" IS NULL ORDER BY "createdAt" DESC LIMIT 50`, []],
    },
    {
      name: "activity",
      // The activity page as it opens for one sequence: its newest events.
      product: (i) => listActivityPage(db, ZActivityParams.parse({ sequence: at(input.sequenceIds, i) })),
      baseline: (i) => [`SELECT "id", "type", "reason", "createdAt", "contactId", "stepId" FROM "EnrollmentEvent" WHERE "sequenceId" = $1 ORDER BY "createdAt" DESC LIMIT 50`, [at(input.sequenceIds, i)]],
    },
    {
      name: "contact_timeline",
      product: (i) => contactTimeline(db, at(input.contactIds, i)),
      baseline: (i) => [`SELECT "id", "type", "reason", "data", "createdAt", "sequenceId", "stepId" FROM "EnrollmentEvent" WHERE "contactId" = $1 ORDER BY "createdAt" DESC LIMIT 50`, [at(input.contactIds, i)]],
    },
    {
      name: "sequence_stats",
      product: (i) => getSequenceStats(db, at(input.sequenceIds, i)),
      baseline: (i) => [`SELECT "id", "contactId", "status", "currentStepIndex", "nextStepDueAt" FROM "Enrollment" WHERE "sequenceId" = $1 AND "status" = 'active' LIMIT 50`, [at(input.sequenceIds, i)]],
    },
    {
      name: "sequences_list",
      // Sorted by active contacts: every sequence's counters are read to rank them, then the page's.
      product: () => sequenceListPage(db, { page: 1 }, { sort: "active", dir: "desc" }),
      baseline: () => [`SELECT "id", "name", "status", "updatedAt" FROM "Sequence" ORDER BY "updatedAt" DESC LIMIT 50`, []],
    },
    {
      name: "sequence_analytics",
      // All time: every counter row of the sequence is summed (a date range only filters them).
      product: (i) => getSequenceAnalytics(db, at(input.sequenceIds, i)),
      baseline: (i) => [`SELECT "stepId", "day", "kind", "delta" FROM "EngagementCounter" WHERE "sequenceId" = $1 LIMIT 50`, [at(input.sequenceIds, i)]],
      ratioTarget: null,
    },
    {
      name: "sequence_page_stats",
      // What the sequence page reads for its numbers: the stats panel, then the engagement section.
      product: async (i) => {
        await getSequenceStats(db, at(input.sequenceIds, i));
        await getSequenceAnalytics(db, at(input.sequenceIds, i));
      },
      baseline: (i) => [`SELECT "id", "contactId", "status", "currentStepIndex", "nextStepDueAt" FROM "Enrollment" WHERE "sequenceId" = $1 AND "status" = 'active' LIMIT 50`, [at(input.sequenceIds, i)]],
      ratioTarget: null,
    },
    {
      name: "sequences_list_rates",
      // Ranked by reply rate: every candidate's rates are read to rank them, then the page's rate columns.
      product: () => sequenceListPage(db, { page: 1 }, { sort: "replyRate", dir: "desc" }),
      baseline: () => [`SELECT "id", "name", "status", "updatedAt" FROM "Sequence" ORDER BY "updatedAt" DESC LIMIT 50`, []],
      ratioTarget: null,
    },
    {
      name: "contact_engagement",
      product: (i) => contactEngagement(db, at(input.contactIds, i)),
      baseline: (i) => [`SELECT "id", "type", "createdAt", "machine", "sendId" FROM "TrackingEvent" WHERE "contactId" = $1 ORDER BY "createdAt" DESC LIMIT 50`, [at(input.contactIds, i)]],
    },
  ];
}

/**
 * docs/benchmarks.md's plans for the sequences list: its one statement
 * (sequence-list.ts) as the benchmark runs it, sorted by active contacts.
 */
async function logSequenceListPlans(db: Db, log: (line: string) => void): Promise<void> {
  const rows = await db.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN (ANALYZE, BUFFERS) ${sequenceListSql({ page: 1 }, { sort: "active", dir: "desc" })}`;
  log(`[stats] sequences_list plan:\n${rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n")}`);
}

/**
 * docs/benchmarks.md's plans for the deep page: the statement a page past
 * the count cap reads, by page number (OFFSET, before) and from a cursor
 * 10,000 rows in (now), in the default order, then from a cursor in each
 * sort and direction (the index each one's range scan uses).
 */
async function logDeepPagePlans(db: Db, log: (line: string) => void): Promise<void> {
  const explain = async (label: string, params: Parameters<typeof contactListStatements>[0], statement: "counted" | "first" | "pastCap" = "pastCap") => {
    const rows = await db.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN (ANALYZE, BUFFERS) ${contactListStatements(params)[statement]}`;
    log(`[stats] contacts_list_deep plan, ${label}:\n${rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n")}`);
  };
  await explain("page 401 by number (OFFSET 10,000)", ZContactListParams.parse({ page: DEEP_ROWS / 25 + 1 }));
  // What an unfiltered page runs: before, the capped matches kept (counted), then the page; now one statement.
  await explain("the capped count with the matches kept (counted; before, every page's first statement)", ZContactListParams.parse({ page: DEEP_ROWS / 25 + 1 }), "counted");
  await explain("the whole deep page now: a lean count and the page from a cursor, one statement", ZContactListParams.parse({ after: await cursorAfter(db, DEEP_ROWS) }), "first");
  for (const sort of CONTACT_SORTS) {
    for (const dir of ["asc", "desc"]) {
      await explain(`${sort} ${dir} from a cursor ${DEEP_ROWS} rows in`, ZContactListParams.parse({ sort, dir, after: await cursorAfter(db, DEEP_ROWS, { sort, dir }) }));
    }
  }
}

const viaPrisma = (db: Db, [sql, params]: [string, unknown[]]) => db.$queryRawUnsafe(sql, ...params);

/** What a database of the cluster has applied, and whether a data set was finished in it. */
async function describeDatabase(url: string): Promise<KeptSet> {
  const pool = rawPool(url, 1);
  try {
    return await describeKeptSet(pool);
  } finally {
    await pool.end();
  }
}

/**
 * The data set of this scale, as a template database. A kept cluster
 * (`--data-dir`) reuses one built by an earlier run when it was finished;
 * when the schema has gained migrations since (an index, a table of
 * totals), they are applied to it, as `migrate deploy` applies them to an
 * installation's data, rather than rebuilding a 1m set for half an hour
 * (lib/kept-set.ts). A set with a migration edited or removed since, or of
 * another data set's name (the generator changed: bump dataSetName), is
 * rebuilt.
 */
async function scaleTemplate(cluster: BenchCluster, scale: Scale, log: (line: string) => void): Promise<string> {
  const name = `scale_template_${scale.name}`;
  const schema = schemaMigrations();
  if (await cluster.hasDatabase(name)) {
    const url = urlFor(cluster.migratedUrl, name);
    const plan = planKeptSet(await describeDatabase(url), schema, dataSetName(scale));
    if (plan.action === "upgrade") {
      const which = plan.prefix ? "newest" : "missing (some older-named than ones it has: applied out of order, as migrate deploy does)";
      log(`[stats] the kept ${name} lacks ${plan.missing.length} of the schema's ${which} migration(s): upgrading it in place (${plan.missing.join(", ")})`);
      const { ms } = await timed(async () => {
        await migrateDeploy(url);
        const pool = rawPool(url, 1);
        try {
          await pool.query("VACUUM ANALYZE");
        } finally {
          await pool.end();
        }
      });
      const after = planKeptSet(await describeDatabase(url), schema, dataSetName(scale));
      if (after.action !== "reuse") throw new Error(`the kept ${name} does not match the schema after migrate deploy: ${JSON.stringify(after)}`);
      log(`[stats] upgraded the kept ${name} in ${(ms / 1000).toFixed(0)} s`);
    }
    if (plan.action !== "rebuild") {
      log(`[stats] reusing the ${scale.name} data set kept in ${name}`);
      return name;
    }
    log(`[stats] rebuilding the kept ${name}: ${plan.reason}`);
  }
  // The set is copied from the cluster's migrated database: in a kept cluster
  // that one predates an edited migration too, and every run would rebuild.
  const stale = divergence((await describeDatabase(cluster.migratedUrl)).migrations, schema);
  if (stale !== null) throw new Error(`the cluster's migrated database is out of date (${stale}): remove the --data-dir directory to start afresh`);
  const url = await cluster.createDatabase(name);
  const pool = rawPool(url, 1);
  try {
    const { ms } = await timed(() => buildScaleData(pool, scale, log));
    // Written last: a build interrupted before this point is never reused.
    await pool.query(`CREATE TABLE "_bench_data_set" ("scale" text NOT NULL, "builtAt" timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`INSERT INTO "_bench_data_set" ("scale") VALUES ($1)`, [dataSetName(scale)]);
    log(`[stats] ${scale.name} data set built in ${(ms / 1000).toFixed(0)} s`);
  } finally {
    await pool.end();
  }
  return name;
}

export async function benchAdminQueries(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult[]> {
  const template = await scaleTemplate(cluster, benchOptions.scale, log);
  const url = await cluster.createDatabase("scale_run", template);
  const db = createPrismaClient(url);
  const pool = rawPool(url);
  try {
    const input = await inputs(db);
    const counts = await db.$queryRaw<{ contacts: number; enrollments: number; events: number; tracking_events: number; engagement_counter_rows: number }[]>`
      SELECT (SELECT count(*)::int FROM "Contact") AS contacts, (SELECT count(*)::int FROM "Enrollment") AS enrollments,
             (SELECT count(*)::int FROM "EnrollmentEvent") AS events, (SELECT count(*)::int FROM "TrackingEvent") AS tracking_events,
             (SELECT count(*)::int FROM "EngagementCounter") AS engagement_counter_rows`;
    log(`[stats] ${JSON.stringify(counts[0])}`);
    // Each query must have something to show, or it measures nothing.
    const page = await queryContactList(db, ZContactListParams.parse({ q: "ada", tag: input.tagId, page: 2 }));
    const timeline = await contactTimeline(db, input.contactIds[0]);
    log(`[stats] the list's page 2 shows ${page.items.length} of ${page.total} matches; a timeline has ${timeline.total} events`);
    if (page.items.length !== 25 || timeline.items.length === 0) throw new Error("the admin queries' inputs match nothing");
    // The cursor page is the one after the first 10,000 contacts, as page 401 by number is.
    const [deep, byNumber] = await Promise.all([
      queryContactList(db, ZContactListParams.parse({ after: input.deepCursor })),
      queryContactList(db, ZContactListParams.parse({ page: DEEP_ROWS / 25 + 1 })),
    ]);
    if (deep.items.length !== 25 || deep.items.map((c) => c.id).join() !== byNumber.items.map((c) => c.id).join()) throw new Error("the deep page by cursor is not page 401");
    log(`[stats] the deep page (a cursor ${DEEP_ROWS} contacts in) shows ${deep.items.length} contacts, the same as page ${DEEP_ROWS / 25 + 1} by number`);
    const analytics = await getSequenceAnalytics(db, input.sequenceIds[0]);
    // Contacts are sampled at random and about a third of messages are engaged, so one contact may
    // have none: what must hold is that the sampled contacts, together, give the read rows to show.
    const engagements = await Promise.all(input.contactIds.map((id) => contactEngagement(db, id)));
    const engaged = engagements.filter((rows) => rows.length > 0).length;
    log(`[stats] a sequence's analytics: ${analytics.total.sent} sent, ${analytics.total.opened} opened, ${analytics.total.clicked} clicked; ${engaged} of ${input.contactIds.length} sampled contacts have opens or clicks`);
    if (analytics.total.sent === 0 || analytics.total.clicked === 0 || engaged === 0) throw new Error("the engagement reads' inputs match nothing");

    const results: BenchResult[] = [];
    for (const query of queries(db, input)) {
      for (let i = 0; i < WARMUP; i++) {
        await query.product(i);
        await viaPrisma(db, query.baseline(i));
        await pool.query(...query.baseline(i));
      }
      const product: number[] = [];
      const baseline: number[] = [];
      const rawPg: number[] = [];
      // Alternating spreads the machine's noise over both.
      for (let i = 0; i < RUNS; i++) {
        product.push((await timed(() => query.product(i))).ms);
        baseline.push((await timed(() => viaPrisma(db, query.baseline(i)))).ms);
        rawPg.push((await timed(() => pool.query(...query.baseline(i)))).ms);
      }
      const p95 = percentile(product, 95);
      const ratio = p95 / percentile(baseline, 95);
      const ratioTarget = query.ratioTarget === undefined ? RATIO_TARGET : query.ratioTarget;
      log(`[stats] ${query.name}: p50 ${median(product).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; baseline p95 ${percentile(baseline, 95).toFixed(1)} ms (pg ${percentile(rawPg, 95).toFixed(1)} ms)`);
      results.push({
        name: query.name,
        unit: `ms over ${RUNS} runs; ratio of p95s`,
        product: { p50_ms: median(product), p95_ms: p95 },
        baseline: { p50_ms: median(baseline), p95_ms: percentile(baseline, 95) },
        ratio,
        target: ratioTarget === null ? `p95 < ${P95_TARGET_MS} ms` : `p95 < ${P95_TARGET_MS} ms, <= ${ratioTarget}x`,
        pass: p95 < P95_TARGET_MS && (ratioTarget === null || ratio <= ratioTarget),
        notes: {
          scale: counts[0],
          baseline: `indexed SELECT ... LIMIT 50 through the same Prisma client ($queryRaw)`,
          baseline_pg_p50_ms: median(rawPg),
          baseline_pg_p95_ms: percentile(rawPg, 95),
          ratio_vs_pg: p95 / percentile(rawPg, 95),
          ratio_p50: median(product) / median(baseline),
        },
      });
    }
    await logSequenceListPlans(db, log);
    await logDeepPagePlans(db, log);
    return results;
  } finally {
    await db.$disconnect();
    await pool.end();
    await cluster.dropDatabase("scale_run");
  }
}
