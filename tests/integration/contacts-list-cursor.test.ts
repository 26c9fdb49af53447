/**
 * The contact list's Next and Previous carry a position (a cursor: the
 * row's sort key and id) instead of a page number: walked forward and back
 * for every sort and direction, with ties on every key, below the count cap
 * (pages cut from the capped matches) and above it (pages read from the
 * sort's index), no contact is skipped or shown twice. Bad positions in a
 * URL are dropped on the page (its first page) and refused by the strict
 * parse; hostile ones never reach the database as an error.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTACT_COUNT_CAP, queryContactList, type ContactListPage } from "../../lib/contacts/list-contacts";
import { decodeContactCursor, encodeContactCursor } from "../../lib/validations/contact-cursor";
import { CONTACT_SORTS, parseContactListParams, ZContactListParams, type TContactListParams, type TContactSort } from "../../lib/validations/contact-list";
import { resetDb, testDb } from "../support/db";
import { hostileJsonValue, hostileString, UNSTORABLE } from "../support/hostile";

const db = testDb();
const params = (raw: Record<string, unknown>): TContactListParams => ZContactListParams.parse(raw);
const ORDERS = CONTACT_SORTS.flatMap((sort) => (["asc", "desc"] as const).map((dir) => [sort, dir] as const));

/**
 * `count` live contacts with ties on every sort key: creation instants
 * shared by three, scores by a quarter of them, display names by many
 * ("Ada Lovelace" and "ada LOVELACE" are one name; unnamed contacts sort by
 * email), every eleventh deleted, every other one tagged.
 */
async function insertContacts(prefix: string, count: number, tagId: string) {
  await db.$executeRaw`
    INSERT INTO "Contact" ("id", "email", "firstName", "lastName", "leadScore", "createdAt", "updatedAt", "deletedAt")
    SELECT gen_random_uuid()::text, ${prefix} || lpad(i::text, 6, '0') || '@example.com',
           CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN 'Ada' WHEN 2 THEN 'ada' ELSE 'Bob' END,
           CASE i % 5 WHEN 1 THEN 'Lovelace' WHEN 2 THEN 'LOVELACE' ELSE NULL END,
           i % 4, timestamp '2026-01-01' + (i / 3) * interval '1 second', now(),
           CASE WHEN i % 11 = 0 THEN now() END
    FROM generate_series(1, ${count}) AS i`;
  await db.$executeRaw`
    INSERT INTO "ContactTag" ("contactId", "tagId") SELECT "id", ${tagId} FROM "Contact" WHERE "email" LIKE ${prefix + "%"} AND right(split_part("email", '@', 1), 1)::int % 2 = 0`;
  // Statistics for the rows just loaded, as autovacuum gives a live database: without them the planner may take
  // the tables for empty and scan ContactTag once per listed contact (a walk took ~1 s, or 55 s, by chance).
  await db.$executeRaw`ANALYZE "Contact", "ContactTag"`;
}

/** Pages from the first, following Next, then back from the last, following Previous. */
async function walk(base: Record<string, unknown>, pageSize: number) {
  const forward: ContactListPage[] = [await queryContactList(db, params(base), pageSize)];
  while (forward.at(-1)!.hasNextPage) {
    const last = forward.at(-1)!;
    expect(last.nextCursor).not.toBeNull();
    forward.push(await queryContactList(db, params({ ...base, after: last.nextCursor }), pageSize));
    expect(forward.length).toBeLessThan(1000);
  }
  const backward: ContactListPage[] = [forward.at(-1)!];
  while (backward.at(-1)!.hasPreviousPage) {
    const current = backward.at(-1)!;
    // No cursor: Previous is the first page, linked as itself.
    backward.push(await queryContactList(db, params(current.previousCursor ? { ...base, before: current.previousCursor } : base), pageSize));
    expect(backward.length).toBeLessThan(1000);
  }
  const ids = (pages: ContactListPage[]) => pages.flatMap((p) => p.items.map((c) => c.id));
  return { forward, backward, forwardIds: ids(forward), backwardIds: ids([...backward].reverse()) };
}

/** The whole list in one page (the offset path, which the other list tests check). */
const everything = async (base: Record<string, unknown>) => (await queryContactList(db, params(base), 20_000)).items.map((c) => c.id);

function expectWalkCovers(walked: Awaited<ReturnType<typeof walk>>, all: string[], label: string) {
  expect(walked.forwardIds, `${label}: forward`).toEqual(all);
  expect(walked.backwardIds, `${label}: back`).toEqual(all);
  expect(new Set(walked.forwardIds).size, `${label}: no repeats`).toBe(all.length);
}

describe("cursor pages below the count cap", () => {
  let tagId: string;
  beforeAll(async () => {
    await resetDb();
    tagId = (await db.tag.create({ data: { name: "even" } })).id;
    await insertContacts("small", 47, tagId);
  });

  it.each(ORDERS)("%s %s: forward and back by cursor, every contact once, each page numbered", async (sort, dir) => {
    const all = await everything({ sort, dir });
    expect(all).toHaveLength(47 - 4); // every eleventh deleted
    const walked = await walk({ sort, dir }, 4);
    expectWalkCovers(walked, all, `${sort} ${dir}`);
    expect(walked.forward.map((p) => p.page)).toEqual(walked.forward.map((_, i) => i + 1));
    expect(walked.backward.map((p) => p.page)).toEqual(walked.forward.map((_, i) => walked.forward.length - i));
    expect(walked.forward.at(-1)!).toMatchObject({ hasNextPage: false, nextCursor: null });
    expect(walked.forward[0]).toMatchObject({ hasPreviousPage: false, previousCursor: null, total: 43, totalIsCapped: false });
  });

  it.each(ORDERS)("%s %s with filters (tag, score range): forward and back cover exactly the matches", async (sort, dir) => {
    const base = { sort, dir, tag: tagId, scoreMin: "1", scoreMax: "2" };
    const all = await everything(base);
    expect(all.length).toBeGreaterThan(8);
    expectWalkCovers(await walk(base, 3), all, `${sort} ${dir} filtered`);
  });

  it("a page reached by page number gives cursors onward; Previous near the start shows the whole first page", async () => {
    const all = await everything({ sort: "score" });
    const third = await queryContactList(db, params({ sort: "score", page: "3" }), 4);
    expect(third.items.map((c) => c.id)).toEqual(all.slice(8, 12));
    const fourth = await queryContactList(db, params({ sort: "score", after: third.nextCursor }), 4);
    expect(fourth).toMatchObject({ page: 4, hasPreviousPage: true });
    expect(fourth.items.map((c) => c.id)).toEqual(all.slice(12, 16));
    // Before the third row: two rows, less than a page, so the first page instead.
    const early = encodeContactCursor({ sort: "score", key: (await db.contact.findUniqueOrThrow({ where: { id: all[2] } })).leadScore, id: all[2] });
    const first = await queryContactList(db, params({ sort: "score", before: early }), 4);
    expect(first).toMatchObject({ page: 1, hasPreviousPage: false });
    expect(first.items.map((c) => c.id)).toEqual(all.slice(0, 4));
  });

  it("a position past the last row is an empty page that can go back", async () => {
    const all = await everything({ sort: "email" });
    const last = await db.contact.findUniqueOrThrow({ where: { id: all.at(-1)! } });
    const beyond = await queryContactList(db, params({ sort: "email", after: encodeContactCursor({ sort: "email", key: last.email, id: last.id }) }), 4);
    expect(beyond).toMatchObject({ items: [], hasNextPage: false, hasPreviousPage: true });
  });
});

describe("cursor pages above the count cap: read from the sort's index", () => {
  let tagId: string;
  beforeAll(async () => {
    await resetDb();
    tagId = (await db.tag.create({ data: { name: "even" } })).id;
    await insertContacts("big", CONTACT_COUNT_CAP + 1_200, tagId);
  });

  it.each(ORDERS)("%s %s: forward and back by cursor, every contact once", async (sort, dir) => {
    const all = await everything({ sort, dir });
    expect(all.length).toBeGreaterThan(CONTACT_COUNT_CAP);
    const walked = await walk({ sort, dir }, 700);
    expect(walked.forward[0]).toMatchObject({ totalIsCapped: true, page: 1 });
    // Past the cap a cursor page's number is not counted.
    expect(walked.forward[1].page).toBeNull();
    expectWalkCovers(walked, all, `${sort} ${dir}`);
  });

  it("with tag and score filters that still match more than the cap", async () => {
    await insertContacts("more", 14_000, tagId);
    const base = { sort: "name", dir: "desc", tag: tagId, scoreMax: "2" };
    const all = await everything(base);
    expect(all.length).toBeGreaterThan(CONTACT_COUNT_CAP);
    const walked = await walk(base, 1_500);
    expect(walked.forward[0].totalIsCapped).toBe(true);
    expectWalkCovers(walked, all, "name desc filtered");
  });
});

describe("bad positions", () => {
  const id = "0b7f6a4e-3c1d-4e8a-9f2b-5d6c7e8f9a0b";
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("are dropped on the page (its first page) and refused by the strict parse: malformed, out of range, unstorable, another sort's", () => {
    const bad: [TContactSort, string][] = [
      ["score", "x"],
      ["score", "not base64!"],
      ["score", raw({ sort: "score" })],
      ["score", raw(["score", 1.5, id])],
      ["score", raw(["score", 2 ** 31, id])],
      ["created", raw(["created", 8.64e15, id])],
      ["created", raw(["created", "2026-01-01", id])],
      ["score", raw(["score", 5, "not-an-id"])],
      ["email", raw(["email", "", id])],
      ["name", raw(["name", "a\u0000b", id])],
      ["name", raw(["name", "\uD800", id])],
      ["email", raw(["email", "x\uDC00y@example.com", id])],
      ["name", raw(["name", "x".repeat(2_001), id])],
      ["score", raw(["nope", 1, id])],
      ["score", encodeContactCursor({ sort: "email", key: "a@example.com", id })], // a position in another order
      ["score", "A".repeat(5_000)],
    ];
    for (const [sort, cursor] of bad) {
      for (const side of ["after", "before"] as const) {
        expect(parseContactListParams({ sort, [side]: cursor, q: "ada" }), cursor).toMatchObject({ sort, q: "ada", [side]: undefined });
        expect(ZContactListParams.safeParse({ sort, [side]: cursor }).success, cursor).toBe(false);
      }
    }
    const good = encodeContactCursor({ sort: "score", key: -5, id });
    expect(parseContactListParams({ sort: "score", after: good }).after).toBe(good);
    expect(decodeContactCursor(good)).toEqual({ sort: "score", key: -5, id });
    expect(decodeContactCursor(encodeContactCursor({ sort: "name", key: "zoë 😀 o'brien", id }))).toEqual({ sort: "name", key: "zoë 😀 o'brien", id });
  });

  it("hostile after/before values: never an error from the page's parse or the query", async () => {
    await resetDb();
    await insertContacts("few", 12, (await db.tag.create({ data: { name: "even" } })).id);
    // A well-formed envelope around hostile content, mostly in the order the query uses, and hostile text as such.
    const key = fc.oneof(hostileJsonValue, fc.constantFrom(...UNSTORABLE), fc.integer(), fc.double());
    const cursorFor = (sort: TContactSort) =>
      fc.oneof(
        hostileString,
        fc.tuple(fc.constantFrom<string>(sort, sort, sort, ...CONTACT_SORTS, "x"), key, fc.oneof(fc.constant(id), hostileString)).map((t) => raw(t)),
      );
    const query = fc.constantFrom(...CONTACT_SORTS).chain((sort) => fc.tuple(fc.constant(sort), fc.constantFrom("asc", "desc"), cursorFor(sort), cursorFor(sort)));
    await fc.assert(
      fc.asyncProperty(query, async ([sort, dir, after, before]) => {
        const parsed = parseContactListParams({ sort, dir, after, before });
        const page = await queryContactList(db, parsed, 5);
        expect(page.items.length).toBeLessThanOrEqual(5);
      }),
      { numRuns: 100 },
    );
  });
});
