/**
 * The team, end to end through the real Auth.js sign-in: invitations,
 * password resets and changes, deactivation, the last-admin rule and
 * sign-in throttling (counted in the database, so it holds across app
 * processes: here two separate database clients with their own pools).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setClock } from "../../lib/clock";
import { replaceDb } from "../../lib/db/client";
import { createPrismaClient } from "../../lib/db/prisma";
import { requireUser } from "../../lib/auth/session";
import { SIGN_IN_THROTTLE } from "../../lib/auth/sign-in-throttle";
import { acceptInvite, inviteUser, INVITE_TTL_MS } from "../../lib/team/invite";
import { changeUserRole, deactivateUser } from "../../lib/team/members";
import { changePassword, requestPasswordReset, resetPassword, RESET_TTL_MS } from "../../lib/team/passwords";
import { isCommonPassword, ZNewPassword } from "../../lib/validations/team";
import { resetDb, testDb } from "../support/db";
import { dataFingerprint } from "../support/fault-db";
import { actAs, signInAs, signInWithPassword } from "../support/fault-session";
import { testDatabaseUrl } from "../support/database-url";

// Auth.js reads its secret when lib/auth is first imported (by the imports above, hoisted): set it before them.
vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "fault-suite-auth-secret-0123456789abcdef";
});
vi.mock("next/headers", async () => (await import("../support/fault-session")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const db = testDb();
const PASSWORD = "a long and unusual passphrase";

beforeAll(async () => {
  await resetDb(db);
  replaceDb(db);
});
afterEach(() => setClock(null));

const actorOf = (u: { id: string; email: string }) => ({ type: "user" as const, id: u.id, label: u.email, ip: "203.0.113.5" });

/** The link in the last message caught for `to`, and its token. */
async function lastLink(to: string, path: string): Promise<string> {
  const message = await db.caughtMessage.findFirstOrThrow({ where: { toAddress: to }, orderBy: { createdAt: "desc" } });
  const match = new RegExp(`http://[^/]+/${path}/(\\S+)`).exec(message.text);
  if (!match) throw new Error(`no ${path} link in: ${message.text}`);
  return match[1];
}

describe("invitations", () => {
  it("invite → the link arrives through the mail transport → accept → sign in with the chosen password", async () => {
    const admin = await signInAs(db, "admin");
    const email = `invitee-${Date.now()}@example.com`;
    await inviteUser(db, actorOf(admin), { email, role: "marketer" });
    const token = await lastLink(email, "invite");
    expect(await acceptInvite(db, { token, name: "Grace", password: PASSWORD })).toEqual({ ok: true, email });
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ name: "Grace", role: "marketer", deactivatedAt: null });
    const cookie = await signInWithPassword(email, PASSWORD);
    expect(cookie).toMatch(/^authjs\.session-token=/);
    actAs(cookie);
    await expect(requireUser("marketer")).resolves.toMatchObject({ email });
    // Both halves are in the audit log.
    expect((await db.auditEvent.findMany({ where: { objectLabel: email }, orderBy: { id: "asc" } })).map((e) => [e.action, e.actorLabel])).toEqual([
      ["user.invite", admin.email],
      ["user.accept_invite", email],
    ]);
  });

  it("a reused, forged, replaced or expired invitation changes nothing", async () => {
    const admin = await signInAs(db, "admin");
    const email = `twice-${Date.now()}@example.com`;
    await inviteUser(db, actorOf(admin), { email, role: "viewer" });
    const first = await lastLink(email, "invite");
    await inviteUser(db, actorOf(admin), { email, role: "viewer" });
    const second = await lastLink(email, "invite");
    const [id, exp, sig] = second.split(".");
    const before = await dataFingerprint(db);
    for (const token of [first, `${id}.${Number(exp) + 60}.${sig}`, `${id}.${exp}.${sig.slice(0, -2)}AA`]) {
      expect(await acceptInvite(db, { token, name: "Mallory", password: PASSWORD })).toEqual({ ok: false, reason: "invalid_link" });
    }
    expect(await dataFingerprint(db)).toEqual(before);

    setClock({ now: () => Date.now() + INVITE_TTL_MS + 1_000 });
    expect(await acceptInvite(db, { token: second, name: "Late", password: PASSWORD })).toEqual({ ok: false, reason: "invalid_link" });
    setClock(null);
    expect(await dataFingerprint(db)).toEqual(before);

    expect(await acceptInvite(db, { token: second, name: "On time", password: PASSWORD })).toMatchObject({ ok: true });
    const after = await dataFingerprint(db);
    expect(await acceptInvite(db, { token: second, name: "Again", password: PASSWORD })).toEqual({ ok: false, reason: "invalid_link" });
    expect(await dataFingerprint(db)).toEqual(after);
  });

  it("an address already on the team cannot be invited", async () => {
    const admin = await signInAs(db, "admin");
    await expect(inviteUser(db, actorOf(admin), { email: admin.email, role: "viewer" })).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("passwords", () => {
  it("new passwords need a minimum length and must not be common", () => {
    expect(ZNewPassword.safeParse("short").success).toBe(false);
    expect(isCommonPassword("password1234")).toBe(true);
    expect(isCommonPassword("Qwertyuiop123")).toBe(true);
    expect(ZNewPassword.safeParse("qwertyuiop123").success).toBe(false);
    expect(ZNewPassword.safeParse(PASSWORD).success).toBe(true);
  });

  it("a reset answers alike for known and unknown addresses, mails only the known one, works once within the hour", async () => {
    const user = await signInAs(db, "viewer");
    const unknown = `nobody-${Date.now()}@example.com`;
    await expect(requestPasswordReset(db, { email: unknown }, { ip: "203.0.113.9" })).resolves.toBeUndefined();
    await expect(requestPasswordReset(db, { email: user.email }, { ip: "203.0.113.9" })).resolves.toBeUndefined();
    expect(await db.caughtMessage.count({ where: { toAddress: unknown } })).toBe(0);
    const token = await lastLink(user.email, "login/reset");

    // An hour later the link is dead.
    setClock({ now: () => Date.now() + RESET_TTL_MS + 1_000 });
    expect(await resetPassword(db, { token, password: PASSWORD })).toBe(false);
    setClock(null);

    expect(await resetPassword(db, { token, password: PASSWORD })).toBe(true);
    expect(await resetPassword(db, { token, password: "yet another long passphrase" })).toBe(false);
    // The old session ended; the new password signs in.
    actAs(user.cookie);
    await expect(requireUser("viewer")).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await signInWithPassword(user.email, PASSWORD)).toMatch(/^authjs\.session-token=/);
  });

  it("resets are rate limited per address: past the limit no more mail is sent, and the answer is unchanged", async () => {
    const user = await signInAs(db, "viewer");
    for (let i = 0; i < 5; i++) await expect(requestPasswordReset(db, { email: user.email }, { ip: `203.0.113.${20 + i}` })).resolves.toBeUndefined();
    expect(await db.caughtMessage.count({ where: { toAddress: user.email } })).toBe(3);
  });

  it("resets are rate limited per IP across addresses", async () => {
    const ip = "203.0.113.77";
    const people = await Promise.all(Array.from({ length: 22 }, (_, i) => db.user.create({ data: { email: `ipcap-${i}-${Date.now()}@example.com`, name: "P", role: "viewer", passwordHash: "x" } })));
    for (const p of people) await requestPasswordReset(db, { email: p.email }, { ip });
    expect(await db.caughtMessage.count({ where: { toAddress: { in: people.map((p) => p.email) } } })).toBe(20);
  });

  it("changing a password needs the current one, and ends the user's sessions", async () => {
    const user = await signInAs(db, "marketer");
    await expect(changePassword(db, actorOf(user), { currentPassword: "wrong", newPassword: PASSWORD })).rejects.toMatchObject({ code: "validation", fieldErrors: { currentPassword: expect.any(Array) } });
    await changePassword(db, actorOf(user), { currentPassword: "fault-suite-password", newPassword: PASSWORD });
    actAs(user.cookie);
    await expect(requireUser("viewer")).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await signInWithPassword(user.email, "fault-suite-password")).toBeNull();
    expect(await signInWithPassword(user.email, PASSWORD)).toMatch(/^authjs\.session-token=/);
  });
});

describe("deactivation and the last admin", () => {
  it("a deactivated user's existing session is refused on the next request, and they cannot sign in", async () => {
    const admin = await signInAs(db, "admin");
    const user = await signInAs(db, "marketer");
    actAs(user.cookie);
    await expect(requireUser("marketer")).resolves.toMatchObject({ id: user.id });
    await deactivateUser(db, actorOf(admin), { userId: user.id });
    actAs(user.cookie);
    await expect(requireUser("viewer")).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await signInWithPassword(user.email, "fault-suite-password")).toBeNull();
  });

  it("the last active admin can be neither demoted nor deactivated, even by two admins at once", async () => {
    await db.user.updateMany({ where: { role: "admin" }, data: { role: "viewer" } });
    const a = await signInAs(db, "admin");
    await expect(changeUserRole(db, actorOf(a), { userId: a.id, role: "marketer" })).rejects.toMatchObject({ code: "conflict" });
    await expect(deactivateUser(db, actorOf(a), { userId: a.id })).rejects.toMatchObject({ code: "conflict" });

    const b = await signInAs(db, "admin");
    // Each demotes the other at the same moment: one wins, the other is refused.
    const results = await Promise.allSettled([
      changeUserRole(db, actorOf(a), { userId: b.id, role: "viewer" }),
      changeUserRole(db, actorOf(b), { userId: a.id, role: "viewer" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await db.user.count({ where: { role: "admin", deactivatedAt: null } })).toBe(1);
  });
});

describe("sign-in throttling", () => {
  it(`after ${SIGN_IN_THROTTLE.emailLimit} failures the address is refused, right password or not, from another app process too`, async () => {
    const user = await signInAs(db, "viewer");
    // The app's clock stands still: the slowed attempts take ~7 s of real
    // time, and a 15-minute window's edge passing during them split the count
    // (a CI run at 08:30 saw the right password accepted).
    const at = Date.now();
    setClock({ now: () => at });
    for (let i = 0; i < SIGN_IN_THROTTLE.emailLimit; i++) expect(await signInWithPassword(user.email, `wrong-${i}`)).toBeNull();
    expect(await signInWithPassword(user.email, "fault-suite-password")).toBeNull();

    // A second app process: its own client and pool on the same database.
    const other = createPrismaClient(testDatabaseUrl(), { poolSize: 2 });
    replaceDb(other);
    try {
      expect(await signInWithPassword(user.email, "fault-suite-password")).toBeNull();
    } finally {
      replaceDb(db);
      await other.$disconnect();
    }
    // Once the window has passed, the right password works again.
    setClock({ now: () => at + SIGN_IN_THROTTLE.windowMs });
    expect(await signInWithPassword(user.email, "fault-suite-password")).toMatch(/^authjs\.session-token=/);
  });
});
