/**
 * dataFingerprint, the fault suite's proof that a refused request wrote
 * nothing: it changes with any write to a fingerprinted table (one column of
 * one row, a swap of values between rows, a millisecond, a JSON attribute,
 * an insert, a delete), names the table written, and ignores only what it
 * leaves out on purpose (RateLimit, ApiKey.lastUsedAt).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeActionFixtures, type Fixtures } from "../support/action-catalog";
import { testDatabaseUrl } from "../support/database-url";
import { resetDb, testDb } from "../support/db";
import { dataFingerprint } from "../support/fault-db";

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const db = testDb();
let fx: Fixtures;

beforeAll(async () => {
  await resetDb(db);
  fx = await makeActionFixtures(db);
  await makeActionFixtures(db);
});

/** The tables whose fingerprint `write` changed. */
async function changedBy(write: () => Promise<unknown>): Promise<string[]> {
  const before = await dataFingerprint(db);
  await write();
  const after = await dataFingerprint(db);
  return Object.keys(before).filter((table) => before[table] !== after[table]);
}

describe("dataFingerprint", () => {
  it("is the same when nothing was written", async () => {
    expect(await changedBy(async () => {})).toEqual([]);
  });

  it("changes with one column of one row, and is back when the value is", async () => {
    const before = await dataFingerprint(db);
    await db.contact.update({ where: { id: fx.contact.id }, data: { firstName: "Changed" } });
    expect((await dataFingerprint(db)).Contact).not.toBe(before.Contact);
    await db.contact.update({ where: { id: fx.contact.id }, data: { firstName: fx.contact.firstName, updatedAt: fx.contact.updatedAt } });
    expect(await dataFingerprint(db)).toEqual(before);
  });

  it("changes when two rows swap values (each row is hashed whole)", async () => {
    const [a, b] = [fx.contact, fx.other];
    expect(a.firstName).toBe(b.firstName);
    const names = async (first: string, second: string) => {
      await db.contact.update({ where: { id: a.id }, data: { lastName: first, updatedAt: a.updatedAt } });
      await db.contact.update({ where: { id: b.id }, data: { lastName: second, updatedAt: b.updatedAt } });
    };
    await names("Lovelace", "Hopper");
    expect(await changedBy(() => names("Hopper", "Lovelace"))).toEqual(["Contact"]);
  });

  it("changes with a millisecond, a JSON attribute, a flag and an array element", async () => {
    expect(await changedBy(() => db.contact.update({ where: { id: fx.contact.id }, data: { updatedAt: new Date(fx.contact.updatedAt.getTime() + 1) } }))).toEqual(["Contact"]);
    expect(await changedBy(() => db.contact.update({ where: { id: fx.contact.id }, data: { attributes: { company: "Acme" }, updatedAt: fx.contact.updatedAt } }))).toEqual(["Contact"]);
    expect(await changedBy(() => db.contact.update({ where: { id: fx.contact.id }, data: { attributes: { company: "Acme " }, updatedAt: fx.contact.updatedAt } }))).toEqual(["Contact"]);
    expect(await changedBy(() => db.sender.update({ where: { id: fx.sender.id }, data: { isDefault: true } }))).toEqual(["Sender"]);
    expect(await changedBy(() => db.webhookEndpoint.update({ where: { id: fx.webhook.id }, data: { events: ["step.sent"] } }))).toEqual(["WebhookEndpoint"]);
  });

  it("changes with an insert and a delete, in the table written", async () => {
    expect(await changedBy(() => db.tag.create({ data: { name: "fingerprinted" } }))).toEqual(["Tag"]);
    expect(await changedBy(() => db.tag.delete({ where: { name: "fingerprinted" } }))).toEqual(["Tag"]);
    expect(await changedBy(() => db.snippet.delete({ where: { id: fx.snippet.id } }))).toEqual(["Snippet"]);
  });

  it("ignores what it leaves out on purpose: attempts counted in RateLimit, an API key's last use", async () => {
    expect(await changedBy(() => db.apiKey.update({ where: { id: fx.apiKey.id }, data: { lastUsedAt: new Date() } }))).toEqual([]);
    expect(await changedBy(() => db.rateLimit.create({ data: { key: "sign-in:198.51.100.7", windowStart: new Date(), count: 1 } }))).toEqual([]);
    expect(await changedBy(() => db.apiKey.update({ where: { id: fx.apiKey.id }, data: { revokedAt: new Date() } }))).toEqual(["ApiKey"]);
  });
});
