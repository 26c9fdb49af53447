/**
 * lib/db/direct.ts: the send path's statements on the client's own pg pool
 * must mean what they meant through Prisma's $queryRaw.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { execute, queryRows } from "../../lib/db/direct";
import { createPrismaClient, Prisma } from "../../lib/db/prisma";
import { resetDb, testDb } from "../support/db";
import { testDatabaseUrl } from "../support/database-url";
import { makeContact } from "../support/factories";

const db = testDb();
const zone = process.env.TZ;

beforeEach(() => resetDb());
afterAll(() => {
  process.env.TZ = zone;
});

describe("direct statements", () => {
  it("store a Date parameter as the same UTC instant as Prisma, whatever the process's zone", async () => {
    const contact = await makeContact(db);
    const at = new Date(Date.UTC(2026, 0, 5, 9, 30, 0));
    process.env.TZ = "America/New_York";
    try {
      const changed = await execute(db, Prisma.sql`UPDATE "Contact" SET "updatedAt" = ${at} WHERE "id" = ${contact.id}`);
      expect(changed).toBe(1);
    } finally {
      process.env.TZ = zone;
    }
    const stored = await db.contact.findUniqueOrThrow({ where: { id: contact.id }, select: { updatedAt: true } });
    expect(stored.updatedAt.toISOString()).toBe(at.toISOString());
  });

  it("return the same rows as $queryRaw for the column types the send path reads", async () => {
    const contact = await makeContact(db, { attributes: { plan: "pro", seats: 3 } });
    const query = Prisma.sql`
      SELECT "id", "email", "attributes", 7::int AS "n", (extract(epoch FROM "createdAt") * 1000)::float8 AS "createdAt",
             ARRAY['a', 'b'] AS "list", json_build_array(json_build_object('x', 1, 'y', true)) AS "json", NULL::text AS "none", true AS "yes"
      FROM "Contact" WHERE "id" = ${contact.id}`;
    const direct = await queryRows(db, query);
    expect(direct).toEqual(await db.$queryRaw(query));
    expect(direct).toHaveLength(1);
  });

  it("inside a transaction, run in that transaction (they see its uncommitted writes)", async () => {
    const contact = await makeContact(db);
    const seen = await db.$transaction(async (tx) => {
      await tx.contact.update({ where: { id: contact.id }, data: { firstName: "Inside" } });
      return queryRows<{ firstName: string }>(tx, Prisma.sql`SELECT "firstName" FROM "Contact" WHERE "id" = ${contact.id}`);
    });
    expect(seen).toEqual([{ firstName: "Inside" }]);
  });

  it("are prepared once per connection and reused, also after a migration changed the table", async () => {
    // One connection, so every call below runs on it.
    const single = createPrismaClient(testDatabaseUrl(), { poolSize: 1 });
    try {
      const contacts = await Promise.all([makeContact(db), makeContact(db)]);
      const read = (id: string) => queryRows<{ email: string }>(single, Prisma.sql`SELECT "email" FROM "Contact" WHERE "id" = ${id}`);
      for (const c of [...contacts, ...contacts]) expect(await read(c.id)).toEqual([{ email: c.email }]);
      const prepared = () =>
        queryRows<{ count: number }>(single, Prisma.sql`SELECT count(*)::int AS "count" FROM pg_prepared_statements WHERE statement LIKE ${'SELECT "email" FROM "Contact"%'}`);
      expect(await prepared()).toEqual([{ count: 1 }]);

      await db.$executeRawUnsafe(`ALTER TABLE "Contact" ADD COLUMN "directTestColumn" text`);
      try {
        expect(await read(contacts[0].id)).toEqual([{ email: contacts[0].email }]);
      } finally {
        await db.$executeRawUnsafe(`ALTER TABLE "Contact" DROP COLUMN "directTestColumn"`);
      }
      expect(await prepared()).toEqual([{ count: 1 }]);
    } finally {
      await single.$disconnect();
    }
  });
});
