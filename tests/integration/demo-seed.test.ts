/**
 * Demo data is seeded once into an empty database, and the password earlier
 * versions published for the demo users stops working.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../lib/auth/password";
import { DEMO_MARKER, retirePublishedPassword, seedDemo } from "../../prisma/seed";
import { resetDb, testDb } from "../support/db";
import { makeContact } from "../support/factories";

const db = testDb();
const passwordFor = (email: string) => `generated-for-${email}`;

beforeEach(() => resetDb());

describe("demo data", () => {
  it("is seeded once: deleted demo users and sequences stay deleted", async () => {
    const first = await seedDemo(db, passwordFor);
    expect(first.seeded && first.users.map((u) => u.email)).toEqual(["marketer@stepwise.local", "viewer@stepwise.local"]);
    const marketer = await db.user.findUniqueOrThrow({ where: { email: "marketer@stepwise.local" } });
    expect(await verifyPassword("generated-for-marketer@stepwise.local", marketer.passwordHash)).toBe(true);

    await db.user.delete({ where: { id: marketer.id } });
    await db.sequenceTrigger.deleteMany();
    await db.sequenceStep.deleteMany();
    await db.sequence.deleteMany();
    await db.contactTag.deleteMany();
    await db.contact.deleteMany();

    expect(await seedDemo(db, passwordFor)).toEqual({ seeded: false, reason: "seeded_before" });
    expect(await db.user.count({ where: { email: "marketer@stepwise.local" } })).toBe(0);
    expect(await db.sequence.count()).toBe(0);
  });

  it("is never added to a database in use, and never later either", async () => {
    await makeContact(db);
    expect(await seedDemo(db, passwordFor)).toEqual({ seeded: false, reason: "not_empty" });
    expect(await db.installationMarker.findUnique({ where: { key: DEMO_MARKER } })).not.toBeNull();
    await db.contact.deleteMany();
    expect(await seedDemo(db, passwordFor)).toEqual({ seeded: false, reason: "seeded_before" });
    expect(await db.user.count()).toBe(0);
  });

  it("two starts racing seed it once", async () => {
    const results = await Promise.all([seedDemo(db, passwordFor), seedDemo(db, passwordFor)]);
    expect(results.filter((r) => r.seeded)).toHaveLength(1);
    expect(await db.sequence.count()).toBe(2);
  });
});

describe("the formerly published demo password", () => {
  it("is replaced by a generated one (sessions end); other passwords and users are left alone", async () => {
    const published = await hashPassword("stepwise-demo");
    await db.user.createMany({
      data: [
        { email: "admin@stepwise.local", name: "Admin", role: "admin", passwordHash: published },
        { email: "viewer@stepwise.local", name: "Vic", role: "viewer", passwordHash: await hashPassword("something-else-42") },
        { email: "ops@corp.test", name: "Ops", role: "admin", passwordHash: published },
      ],
    });
    const renewed = await retirePublishedPassword(db, passwordFor);
    expect(renewed).toEqual([{ email: "admin@stepwise.local", role: "admin", password: "generated-for-admin@stepwise.local" }]);
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@stepwise.local" } });
    expect(await verifyPassword("stepwise-demo", admin.passwordHash)).toBe(false);
    expect(await verifyPassword("generated-for-admin@stepwise.local", admin.passwordHash)).toBe(true);
    expect(admin.sessionVersion).toBe(1);
    expect(await retirePublishedPassword(db, passwordFor)).toEqual([]);
  });
});
