/**
 * SMTP delivery (issue 21): sends per second through the real run path (a
 * run's step: advanceEnrollment plans, claims, renders, delivers over SMTP
 * with the pooled SmtpTransport, records) to an SMTP server on loopback (the
 * smtp-server package, accepting everything), against raw nodemailer (its
 * pooled transport, same connections) sending the same number of messages
 * to the same server. Same concurrency for both. The issue asks for the
 * ratio to be reported (no target): the run path adds two database
 * transactions per message (the claim, the record). It passes when every
 * message went out on both sides.
 */
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { setTransport } from "../../lib/email/transports";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import { advanceEnrollment } from "../../lib/sequences/run-step";
import { releaseAppDatabase, useAppDatabase } from "./lib/app";
import { type BenchCluster, rawPool } from "./lib/database";
import { insertContacts, insertSequence } from "./lib/data";
import type { BenchResult } from "./lib/report";
import { timed } from "./lib/stats";

const SENDS = Number(process.env.BENCH_SMTP_SENDS ?? 500);
const CONCURRENCY = 5;

async function sink(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        accepted++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as { port: number };
  return { port, accepted: () => accepted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs `work(i)` for i < count, `CONCURRENCY` at a time. */
async function pool(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await work(next++);
  }));
}

async function prepare(cluster: BenchCluster): Promise<{ url: string; enrollmentIds: string[] }> {
  const url = await cluster.createDatabase("smtp_p");
  const raw = rawPool(url, 1);
  try {
    await insertContacts(raw, SENDS, "smtp");
    const { id } = await insertSequence(raw, { name: "Onboarding", steps: 1 });
    const { rows } = await raw.query<{ id: string }>(
      `INSERT INTO "Enrollment" ("id", "contactId", "sequenceId", "source", "nextStepDueAt", "updatedAt")
       SELECT gen_random_uuid()::text, c."id", $1, 'manual', now(), now() FROM "Contact" c RETURNING "id"`,
      [id],
    );
    await raw.query("VACUUM ANALYZE");
    return { url, enrollmentIds: rows.map((r) => r.id) };
  } finally {
    await raw.end();
  }
}

export async function benchSmtpDelivery(cluster: BenchCluster, log: (line: string) => void): Promise<BenchResult> {
  process.env.STEPWISE_SIGNING_SECRET ??= "bench-signing-secret-0123456789abcdef";
  const { url, enrollmentIds } = await prepare(cluster);
  const db = await useAppDatabase(url);
  const server = await sink();
  const smtpUrl = `smtp://127.0.0.1:${server.port}`;

  const transport = new SmtpTransport(`${smtpUrl}?pool=true&maxConnections=${CONCURRENCY}`);
  setTransport(transport);
  let product: number;
  try {
    product = (await timed(() => pool(SENDS, (i) => advanceEnrollment(db, { enrollmentId: enrollmentIds[i] })))).ms;
  } finally {
    setTransport(null);
    transport.close();
  }
  const sent = await db.stepSend.count({ where: { status: "sent" } });
  await releaseAppDatabase();
  log(`[bench] smtp: ${sent} sent through the run path in ${Math.round(product)} ms`);

  const raw = nodemailer.createTransport({ host: "127.0.0.1", port: server.port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONCURRENCY });
  const before = server.accepted();
  const baseline = (
    await timed(() =>
      pool(SENDS, (i) =>
        raw.sendMail({ from: "Stepwise Demo <hello@stepwise.local>", to: `smtp${i}@example.com`, subject: `Step 1 for Contact ${i}`, text: `Hello Contact ${i}, this is step 1.`, html: `<p>Hello Contact ${i}, this is step 1.</p>` }),
      ),
    )
  ).ms;
  raw.close();
  const rawSent = server.accepted() - before;
  await server.close();

  const ratio = product / baseline;
  return {
    name: "smtp_delivery",
    unit: `sends per second (${SENDS} messages, ${CONCURRENCY} at a time, loopback SMTP); ratio = run-path time / raw nodemailer time`,
    product: { sends_per_s: (sent / product) * 1000, ms: product },
    baseline: { sends_per_s: (rawSent / baseline) * 1000, ms: baseline },
    ratio,
    target: "every message sent by both; ratio reported",
    pass: sent === SENDS && rawSent === SENDS,
  };
}
