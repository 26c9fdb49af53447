/**
 * The sequences list's page comes from one statement (search, count, order,
 * the page's sequences with triggers, step counts and counters). Checked
 * against the former implementation, kept here as the reference: Prisma's
 * count and findMany, the ranking of every matching sequence by its rates
 * in JavaScript, and the page's counters read separately. Every sort and
 * direction, both pages, with and without a search, over sequences with
 * tied update times, tied counts and rates, no rate at all, triggers of
 * every kind and deleted steps.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sequenceListPage } from "../../lib/sequences/sequence-list";
import { describeTrigger } from "../../lib/sequences/sequence-list";
import { getSequenceRates } from "../../lib/tracking/analytics";
import { PAGE_SIZE } from "../../lib/validations/common";
import type { TSequenceSort } from "../../lib/validations/analytics";
import { resetDb, testDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";

const db = testDb();

/** The list before it became one statement (sequence-list.ts, sequence-sort.ts and list-counts.ts of 2026-12-05). */
async function formerPage(q: string | undefined, page: number, order: TSequenceSort) {
  const where = q ? { name: { contains: q, mode: "insensitive" as const } } : {};
  let ranked: string[] | null = null;
  if (order.sort !== "updated") {
    const all = await db.sequence.findMany({ where, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], select: { id: true } });
    const rates = await getSequenceRates(db, all.map((s) => s.id));
    const value = (id: string) => ({ active: rates.get(id)!.active, replyRate: rates.get(id)!.replyRate, unsubscribeRate: rates.get(id)!.unsubscribeRate })[order.sort as "active"];
    const sign = order.dir === "asc" ? 1 : -1;
    ranked = all
      .map((s, position) => ({ id: s.id, value: value(s.id), position }))
      .sort((a, b) => {
        if (a.value === null || b.value === null) return a.value === b.value ? a.position - b.position : a.value === null ? 1 : -1;
        return a.value === b.value ? a.position - b.position : sign * (a.value - b.value);
      })
      .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
      .map((r) => r.id);
  }
  const total = await db.sequence.count({ where });
  const sequences = await db.sequence.findMany({
    where: ranked ? { id: { in: ranked } } : where,
    orderBy: [{ updatedAt: order.dir }, { id: "asc" }],
    skip: ranked ? 0 : (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true,
      name: true,
      status: true,
      triggers: { select: { type: true, scoreThreshold: true, signupSource: true, tag: { select: { name: true } } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      _count: { select: { steps: { where: { deletedAt: null } } } },
    },
  });
  if (ranked) sequences.sort((a, b) => ranked.indexOf(a.id) - ranked.indexOf(b.id));
  const grouped = await db.enrollment.groupBy({ by: ["sequenceId", "status"], where: { sequenceId: { in: sequences.map((s) => s.id) } }, _count: { _all: true } });
  const rates = await getSequenceRates(db, sequences.map((s) => s.id));
  const items = sequences.map((s) => {
    const counts = { active: 0, completed: 0, exited: 0 };
    for (const g of grouped.filter((g) => g.sequenceId === s.id)) {
      if (g.status === "active" || g.status === "paused") counts.active += g._count._all;
      else if (g.status === "completed") counts.completed += g._count._all;
      else counts.exited += g._count._all;
    }
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      stepCount: s._count.steps,
      triggerSummary: s.triggers.length ? s.triggers.map(describeTrigger).join(" · ") : "Manual enrollment only",
      counts,
      rates: rates.get(s.id)!,
    };
  });
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

beforeAll(async () => {
  await resetDb();
  const contacts = await Promise.all(Array.from({ length: 6 }, () => makeContact(db)));
  const [tag, gone] = await Promise.all([db.tag.create({ data: { name: "vip" } }), db.tag.create({ data: { name: "old" } })]);
  // 32 sequences: more than a page, with and without the search's text, some updated at the same instant.
  for (let i = 0; i < 32; i++) {
    const sequence = await makeSequence(db, {
      name: `${i % 3 === 0 ? "Alpha" : "Beta"} ${i}`,
      status: i % 4 === 0 ? "draft" : "active",
      steps: Array.from({ length: 1 + (i % 3) }, () => ({ delayAmount: 1 })),
    });
    if (i % 5 === 0) await db.sequenceStep.updateMany({ where: { sequenceId: sequence.id, position: 0 }, data: { deletedAt: new Date() } });
    if (i % 4 === 1) await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "tag_added", tagId: i % 8 === 1 ? tag.id : gone.id } });
    if (i % 4 === 2) await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "score_threshold", scoreThreshold: 10 * i } });
    if (i % 6 === 2) await db.sequenceTrigger.create({ data: { sequenceId: sequence.id, type: "signup", signupSource: i % 12 === 2 ? "landing" : null, createdAt: new Date(Date.now() + 60_000) } });
    // Enrollments of every outcome (the counters follow them through the database's triggers).
    const outcomes = (["active", "paused", "completed", "removed", "replied"] as const).slice(0, i % 6);
    for (const [k, status] of outcomes.entries()) {
      const ended = status === "removed" || status === "replied";
      await db.enrollment.create({
        data: { contactId: contacts[k].id, sequenceId: sequence.id, status, source: "manual", exitReason: ended ? status : null, exitedAt: ended ? new Date() : null },
      });
    }
    // Engagement counters: some sequences delivered nothing (no rate), some tie.
    if (i % 7 !== 0) {
      const stepId = sequence.steps[sequence.steps.length - 1].id;
      const rows = [
        ["sent", 4 + (i % 3)],
        ["bounced", i % 2],
        ["replied", i % 4],
        ["unsubscribed", i % 3 === 1 ? 1 : 0],
      ] as const;
      await db.engagementCounter.createMany({ data: rows.map(([kind, delta]) => ({ sequenceId: sequence.id, stepId, day: new Date("2026-12-01"), kind, delta })) });
    }
    const at = new Date(Date.UTC(2026, 11, 1, 0, Math.floor(i / 3)));
    await db.$executeRaw`UPDATE "Sequence" SET "updatedAt" = ${at} WHERE "id" = ${sequence.id}`;
  }
  await db.tag.delete({ where: { id: gone.id } }).catch(() => db.sequenceTrigger.updateMany({ where: { tagId: gone.id }, data: { tagId: null } }));
});

describe("the sequences list's page", () => {
  const orders: TSequenceSort[] = (["updated", "active", "replyRate", "unsubscribeRate"] as const).flatMap((sort) =>
    (["desc", "asc"] as const).map((dir) => ({ sort, dir })),
  );

  it.each(orders)("equals the former implementation's, sorted by $sort $dir, both pages, with and without a search", async (order) => {
    for (const q of [undefined, "alpha", "BETA 1", "nothing"]) {
      for (const page of [1, 2, 3]) {
        const expected = await formerPage(q, page, order);
        expect(await sequenceListPage(db, { q, page }, order), `q=${q} page=${page}`).toEqual(expected);
      }
    }
    const whole = await sequenceListPage(db, { page: 1 }, order);
    expect(whole.total).toBe(32);
    expect(whole.items).toHaveLength(PAGE_SIZE);
  });

  it("shows every kind of trigger, deleted steps left out of the count", async () => {
    const pages = await Promise.all([1, 2].map((page) => sequenceListPage(db, { page }, { sort: "updated", dir: "asc" })));
    const byName = new Map(pages.flatMap((p) => p.items).map((item) => [item.name, item]));
    expect(byName.size).toBe(32);
    expect(byName.get("Beta 2")).toMatchObject({ stepCount: 3, triggerSummary: "Lead score reaches 20 · Signs up via landing" });
    expect(byName.get("Beta 25")).toMatchObject({ stepCount: 1, triggerSummary: "Tag added: vip" });
    expect(byName.get("Beta 5")).toMatchObject({ stepCount: 2, triggerSummary: "Tag added: (deleted tag)" });
    expect(byName.get("Beta 8")).toMatchObject({ status: "draft", triggerSummary: "Signs up" });
    expect(byName.get("Alpha 3")).toMatchObject({ triggerSummary: "Manual enrollment only", counts: { active: 2, completed: 1, exited: 0 } });
  });

  it("searches for the text typed: % and _ are not wildcards", async () => {
    const percent = await makeSequence(db, { name: "Spring 50% off" });
    await makeSequence(db, { name: "Spring 500 off" });
    const found = await sequenceListPage(db, { q: "50%", page: 1 }, { sort: "updated", dir: "desc" });
    expect(found.items.map((item) => item.id)).toEqual([percent.id]);
    expect((await sequenceListPage(db, { q: "spring_", page: 1 }, { sort: "updated", dir: "desc" })).total).toBe(0);
  });
});
