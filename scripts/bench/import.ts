/**
 * CSV import: a 100,000-row file (10% invalid: bad emails, missing emails,
 * scores that are not numbers, unknown time zones, repeated emails) through
 * the product's import (parseCsv, as the browser does, then importContacts
 * with its per-row checks, the set-based writes, tags and consent events),
 * into a database that already holds 10,000 of the file's contacts. Baseline,
 * in the same run: a raw COPY of the same valid rows into "Contact" (client
 * side, COPY FROM STDIN, as psql's \copy). Target: < 60 s and <= 5x.
 * Each repetition runs on a fresh copy of the same database.
 */
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { from as copyFrom } from "pg-copy-streams";
import { parseCsv } from "../../lib/contacts/csv";
import { importContacts } from "../../lib/contacts/import";
import { createPrismaClient } from "../../lib/db/prisma";
import { setEventSender } from "../../lib/events/publish";
import { guessImportColumn, type TImportMapping } from "../../lib/validations/contact-import";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { median, timed } from "./lib/stats";

/** IMPORT_BENCH_ROWS / IMPORT_BENCH_RUNS: a smaller file or fewer runs while iterating (the targets are for the defaults). */
const ROWS = positiveEnv("IMPORT_BENCH_ROWS") ?? 100_000;
const EXISTING = ROWS / 10;
const REPETITIONS = positiveEnv("IMPORT_BENCH_RUNS") ?? 3;
/** 60 s for 100,000 rows; a smaller file gets the same rate. */
const TIME_LIMIT_MS = (60_000 * ROWS) / 100_000;
const RATIO_LIMIT = 5;
const TEMPLATE = "import_template";
const HEADER = ["email", "first_name", "last_name", "score", "timezone", "Company", "plan", "tags"];
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"];

function positiveEnv(name: string): number | null {
  const value = process.env[name];
  if (!value) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || (name === "IMPORT_BENCH_ROWS" && n % 10 !== 0)) throw new Error(`${name}: a positive whole number${name === "IMPORT_BENCH_ROWS" ? ", a multiple of 10" : ""}`);
  return n;
}

type Row = { email: string; firstName: string; lastName: string; score: string; timezone: string; company: string; plan: string; tags: string };

/** Row i of the file; every tenth row is bad in one of five ways. */
function fileRow(i: number): { row: Row; valid: boolean } {
  const row: Row = {
    email: `import-${i}@example${i % 89}.com`,
    firstName: `First${i % 500}`,
    lastName: `Last${i % 700}`,
    score: String((i * 37) % 100),
    timezone: ZONES[i % ZONES.length],
    company: `Company ${i % 1000}, Inc.`,
    plan: i % 3 === 0 ? "pro" : "free",
    tags: i % 2 === 0 ? "imported;newsletter" : "imported",
  };
  if (i % 10 !== 9) return { row, valid: true };
  switch ((i / 10) % 5 | 0) {
    case 0: return { row: { ...row, email: `not-an-email-${i}` }, valid: false };
    case 1: return { row: { ...row, email: "" }, valid: false };
    case 2: return { row: { ...row, score: "high" }, valid: false };
    case 3: return { row: { ...row, timezone: "Mars/Olympus" }, valid: false };
    default: return { row: { ...row, email: `IMPORT-${i - 9}@example${(i - 9) % 89}.com` }, valid: false }; // repeats row i-9
  }
}

const cells = (row: Row) => [row.email, row.firstName, row.lastName, row.score, row.timezone, row.company, row.plan, row.tags];
const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

function buildFile() {
  const lines = [HEADER.join(",")];
  const valid: Row[] = [];
  for (let i = 0; i < ROWS; i++) {
    const { row, valid: ok } = fileRow(i);
    lines.push(cells(row).map(csvCell).join(","));
    if (ok) valid.push(row);
  }
  return { text: lines.join("\r\n") + "\r\n", valid };
}

/** The first EXISTING valid rows' contacts already exist (with other names): the import updates them. */
async function buildTemplate(cluster: BenchCluster, valid: Row[]): Promise<void> {
  await cluster.dropDatabase(TEMPLATE);
  const url = await cluster.createDatabase(TEMPLATE);
  const pool = rawPool(url, 1);
  try {
    await pool.query(
      `INSERT INTO "Contact" ("id", "email", "firstName", "timezone", "attributes", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, e, 'Old', 'UTC', '{"company": "Old Co"}'::jsonb, now(), now() FROM unnest($1::text[]) AS e`,
      [valid.slice(0, EXISTING).map((r) => r.email)],
    );
    // Half the rows carry "newsletter": its trigger enrolls them through the bulk enrollment path.
    const sequence = await insertSequence(pool, { name: "Newsletter onboarding", steps: 3 });
    const { rows: [tag] } = await pool.query<{ id: string }>(`INSERT INTO "Tag" ("id", "name") VALUES (gen_random_uuid()::text, 'newsletter') RETURNING "id"`);
    await pool.query(`INSERT INTO "SequenceTrigger" ("id", "sequenceId", "type", "tagId") VALUES (gen_random_uuid()::text, $1, 'tag_added', $2)`, [sequence.id, tag.id]);
    await pool.query("VACUUM ANALYZE");
  } finally {
    await pool.end();
  }
}

async function runProduct(cluster: BenchCluster, name: string, text: string, expected: Row[]) {
  const url = await cluster.createDatabase(name, TEMPLATE);
  const db = createPrismaClient(url);
  setEventSender(async () => {});
  try {
    await db.$queryRaw`SELECT 1`;
    await cluster.admin("CHECKPOINT");
    const { ms, result } = await timed(async () => {
      const [header, ...rows] = parseCsv(text);
      const mapping = header.values.map(guessImportColumn) as TImportMapping;
      return importContacts(db, { rows, mapping, fireTriggers: true });
    });
    const [counts] = await db.$queryRaw<{ contacts: number; links: number; enrollments: number; consents: number }[]>`
      SELECT (SELECT count(*)::int FROM "Contact") AS contacts, (SELECT count(*)::int FROM "ContactTag") AS links,
             (SELECT count(*)::int FROM "Enrollment") AS enrollments, (SELECT count(*)::int FROM "ConsentEvent") AS consents`;
    const newsletter = expected.filter((r) => r.tags.includes("newsletter")).length;
    if (result.imported + result.updated !== expected.length || result.failed.length !== ROWS - expected.length || counts.contacts !== expected.length
      || counts.enrollments !== newsletter || counts.consents !== expected.length - EXISTING || counts.links !== expected.length + newsletter) {
      throw new Error(`import incomplete: ${JSON.stringify({ ...result, failed: result.failed.length, ...counts })}`);
    }
    // Contact.tagIds must equal each contact's links, however the import wrote them.
    const [{ off }] = await db.$queryRaw<{ off: number }[]>`
      SELECT count(*)::int AS off FROM "Contact" c
      WHERE c."tagIds" IS DISTINCT FROM ARRAY(SELECT ct."tagId" FROM "ContactTag" ct WHERE ct."contactId" = c."id" ORDER BY ct."tagId")`;
    if (off !== 0) throw new Error(`${off} contacts' tagIds differ from their links`);
    await db.$disconnect();
    return { ms, result, counts, contactWrites: await contactWrites(url) };
  } finally {
    setEventSender(null);
    await db.$disconnect();
    await cluster.dropDatabase(name);
  }
}

/**
 * The row versions written to "Contact" in this database (the cumulative
 * statistics, flushed when the import's connections end): an update is a
 * new version of the row, in every index unless HOT.
 */
async function contactWrites(url: string): Promise<{ inserted: number; updated: number; hot: number }> {
  const pool = rawPool(url, 1);
  try {
    let last = -1;
    // The closed connections' backends flush their counts as they exit: read until two readings agree.
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { rows: [row] } = await pool.query<{ inserted: number; updated: number; hot: number }>(
        `SELECT n_tup_ins::int AS inserted, n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'Contact'`,
      );
      if (row.inserted + row.updated === last) return { inserted: row.inserted, updated: row.updated, hot: row.hot };
      last = row.inserted + row.updated;
    }
    throw new Error("the statistics of Contact did not settle");
  } finally {
    await pool.end();
  }
}

/** The same valid rows (the new ones: COPY cannot update), COPY FROM STDIN into "Contact". */
async function runBaseline(cluster: BenchCluster, name: string, valid: Row[]) {
  const url = await cluster.createDatabase(name, TEMPLATE);
  const pool = rawPool(url, 1);
  const client = await pool.connect();
  try {
    const now = new Date().toISOString();
    const lines = valid.slice(EXISTING).map((r) =>
      [randomUUID(), r.email, r.firstName, r.lastName, r.score, r.timezone, JSON.stringify({ Company: r.company, plan: r.plan }), now, now].map(csvCell).join(","),
    );
    await cluster.admin("CHECKPOINT");
    const { ms } = await timed(async () => {
      const copy = client.query(copyFrom(`COPY "Contact" ("id","email","firstName","lastName","leadScore","timezone","attributes","createdAt","updatedAt") FROM STDIN WITH (FORMAT csv)`));
      await pipeline(Readable.from([lines.join("\n") + "\n"]), copy);
    });
    const { rows: [{ n }] } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Contact"`);
    if (n !== valid.length) throw new Error(`baseline copied ${n - EXISTING} rows`);
    return ms;
  } finally {
    client.release();
    await pool.end();
    await cluster.dropDatabase(name);
  }
}

export async function benchImport(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  const { text, valid } = buildFile();
  await buildTemplate(cluster, valid);
  const product: number[] = [];
  const baseline: number[] = [];
  let last: Awaited<ReturnType<typeof runProduct>> | null = null;
  for (let i = 0; i < REPETITIONS; i++) {
    baseline.push(await runBaseline(cluster, `import_copy_${i}`, valid));
    const run = await runProduct(cluster, `import_product_${i}`, text, valid);
    product.push(run.ms);
    last = run;
    log(`[import] run ${i + 1}: product ${product[i].toFixed(0)} ms, COPY ${baseline[i].toFixed(0)} ms; Contact row versions written: ${JSON.stringify(run.contactWrites)}`);
  }
  await cluster.dropDatabase(TEMPLATE);
  const ratio = median(product.map((ms, i) => ms / baseline[i]));
  const productMs = median(product);
  return {
    name: "csv_import",
    unit: `ms for ${ROWS.toLocaleString("en")} rows, median of ${REPETITIONS}; ratio: median of the paired ratios`,
    product: { ms: productMs, rows_per_s: (ROWS / productMs) * 1000 },
    baseline: { ms: median(baseline) },
    ratio,
    target: `< ${TIME_LIMIT_MS / 1000} s and <= ${RATIO_LIMIT}x`,
    pass: productMs < TIME_LIMIT_MS && ratio <= RATIO_LIMIT,
    notes: {
      rows: ROWS,
      invalid: ROWS - valid.length,
      existing_contacts_updated: EXISTING,
      result: last && { imported: last.result.imported, updated: last.result.updated, failed: last.result.failed.length, ...last.counts },
      baseline: "COPY FROM STDIN of the new valid rows into Contact (no tags, no consent events, no checks)",
      contact_row_versions_written: last?.contactWrites,
      product_runs_ms: product.map(Math.round),
      copy_runs_ms: baseline.map(Math.round),
    },
  };
}
