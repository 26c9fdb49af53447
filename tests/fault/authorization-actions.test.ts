/**
 * Authorization matrix, server actions: every "use server" export under
 * lib/actions, called signed out, as viewer, marketer and admin (real
 * Auth.js sessions), plus forged, stale and deleted-user sessions. Only the
 * roles the catalog allows succeed; a refusal writes nothing. Public actions
 * (sign-in, sign-out, signup, the unsubscribe page) take no session by
 * design: they are checked to authorize by their own means.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hasRole, type Role } from "../../lib/auth/roles";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { ACTION_CATALOG, formDataOf, makeActionFixtures, serverActionsOnDisk, type CatalogEntry, type Fixtures } from "../support/action-catalog";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { dataFingerprint } from "../support/fault-db";
import { actAs, signInAs, type SignedInUser } from "../support/fault-session";
import { testDatabaseUrl } from "../support/database-url";

vi.mock("next/headers", async () => (await import("../support/fault-session")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
// The same few passwords are hashed and checked (at the app's cost) dozens of times: each answer is computed once.
vi.mock("bcryptjs", async (original) => (await import("../support/remembered-bcrypt")).rememberingBcrypt(await original()));

process.env.DATABASE_URL = testDatabaseUrl();
process.env.STEPWISE_SIGNING_SECRET ??= "fault-suite-signing-secret-0123456789";

const db = testDb();
const events = recordEvents();
const ROLES: Role[] = ["viewer", "marketer", "admin"];
type Caller = "signed out" | Role;
const CALLERS: Caller[] = ["signed out", ...ROLES];

let users: Record<Role, SignedInUser>;
let actions: Awaited<ReturnType<typeof serverActionsOnDisk>>;
let fx: Fixtures;
const calls = { refused: 0, allowed: 0 };

beforeAll(async () => {
  // Auth.js logs every forged or stale session it rejects; the assertions below check the rejections.
  vi.spyOn(console, "error").mockImplementation(() => {});
  await resetDb(db);
  users = { viewer: await signInAs(db, "viewer"), marketer: await signInAs(db, "marketer"), admin: await signInAs(db, "admin") };
  actions = await serverActionsOnDisk();
  fx = await makeActionFixtures(db);
});
afterAll(() => {
  vi.restoreAllMocks();
  events.restore();
  console.info(`[fault] action authorization matrix: ${actions.length} actions, ${calls.allowed} allowed and ${calls.refused} refused calls checked`);
});

const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
function signIn(caller: Caller | { cookie: string | null }) {
  const cookie = typeof caller === "object" ? caller.cookie : caller === "signed out" ? null : users[caller].cookie;
  actAs(cookie, ip());
}

function actionOf(entry: CatalogEntry) {
  const found = actions.find((a) => a.file === entry.file && a.exportName === entry.exportName);
  if (!found) throw new Error(`${entry.file}#${entry.exportName} is in the catalog but not on disk`);
  return found.fn as unknown as (...args: unknown[]) => Promise<unknown>;
}

/** Calls an authedAction with its catalog input; returns its result value. */
const callAuthed = (entry: CatalogEntry, fixtures: Fixtures) => actionOf(entry)(entry.input!(fixtures)) as Promise<{ ok: boolean; code?: string }>;

describe("the catalog covers every server action on disk", () => {
  it("every export of every \"use server\" file is in the matrix, and nothing else", () => {
    const onDisk = actions.map((a) => a.id).sort();
    const catalogued = ACTION_CATALOG.map((e) => `${e.file}#${e.exportName}`).sort();
    expect(onDisk).toEqual(catalogued);
    expect(onDisk.length).toBeGreaterThanOrEqual(30);
  });

  it("the matrix policy: viewers change nothing but their own account, team and API keys are admin-only", () => {
    for (const entry of ACTION_CATALOG.filter((e) => e.access.kind === "role")) {
      // The caller's own account (lib/actions/account) is everyone's; settings are the admins'; the rest the marketers'.
      const expected = entry.file.startsWith("lib/actions/account/") ? "viewer" : entry.file.startsWith("lib/actions/settings/") ? "admin" : "marketer";
      expect({ action: entry.exportName, role: entry.access.kind === "role" && entry.access.role }).toEqual({ action: entry.exportName, role: expected });
    }
  });
});

describe.each(ACTION_CATALOG.filter((e) => e.access.kind === "role"))("$exportName", (entry) => {
  const required = entry.access.kind === "role" ? entry.access.role : "admin";

  it.each(CALLERS)(`called %s: allowed only from role ${required} up`, async (caller) => {
    const allowed = caller !== "signed out" && hasRole(caller, required);
    // An allowed call gets fresh fixtures (it changes them); a refused one must change nothing.
    const fixtures = allowed ? await makeActionFixtures(db) : fx;
    signIn(caller);
    const before = await dataFingerprint(db);
    const result = await callAuthed(entry, fixtures);
    if (allowed) {
      calls.allowed++;
      expect(result).toMatchObject({ ok: true });
      // The call ended the caller's sessions (a password change): the next tests need a live one.
      if (entry.endsCallerSessions) users[caller as Role] = await signInAs(db, caller as Role);
    } else {
      calls.refused++;
      expect(result).toMatchObject({ ok: false, code: caller === "signed out" ? "unauthenticated" : "forbidden" });
      expect(await dataFingerprint(db)).toEqual(before);
    }
  });
});

describe("sessions that must not authorize anything", () => {
  const authed = ACTION_CATALOG.filter((e) => e.access.kind === "role");

  async function expectAllRefused(cookie: string | null, code: "unauthenticated" | "forbidden") {
    const before = await dataFingerprint(db);
    // A live viewer session may do what viewers may (their own account): "forbidden" concerns the rest.
    for (const entry of code === "forbidden" ? authed.filter((e) => e.access.kind === "role" && e.access.role !== "viewer") : authed) {
      signIn({ cookie });
      expect({ action: entry.exportName, result: await callAuthed(entry, fx) }).toMatchObject({ action: entry.exportName, result: { ok: false, code } });
      calls.refused++;
    }
    expect(await dataFingerprint(db)).toEqual(before);
  }

  it("a forged session cookie (not encrypted with the app's secret)", async () => {
    const forged = `authjs.session-token=${Buffer.from(JSON.stringify({ sub: users.admin.id, role: "admin" })).toString("base64url")}`;
    await expectAllRefused(forged, "unauthenticated");
  });

  it("an admin's cookie with its last characters changed", async () => {
    const cookie = users.admin.cookie;
    const tampered = cookie.slice(0, -4) + (cookie.endsWith("AAAA") ? "BBBB" : "AAAA");
    await expectAllRefused(tampered, "unauthenticated");
  });

  it("a session whose user was since demoted to viewer (roles are re-read, not trusted from the cookie)", async () => {
    const demoted = await signInAs(db, "admin");
    await db.user.update({ where: { id: demoted.id }, data: { role: "viewer" } });
    await expectAllRefused(demoted.cookie, "forbidden");
  });

  it("a session whose user was deleted", async () => {
    const gone = await signInAs(db, "admin");
    await db.user.delete({ where: { id: gone.id } });
    await expectAllRefused(gone.cookie, "unauthenticated");
  });
});

describe("public actions authorize by their own means", () => {
  const publicAction = (name: string) => actionOf(ACTION_CATALOG.find((e) => e.exportName === name)!);

  it("signInAction: a wrong password or an unknown email signs no one in, whoever calls", async () => {
    const signInAction = publicAction("signInAction");
    for (const caller of CALLERS) {
      for (const fields of [
        { email: users.admin.email, password: "not-the-password" },
        { email: "nobody@example.com", password: "whatever" },
      ]) {
        signIn(caller);
        const before = await dataFingerprint(db);
        expect(await signInAction({}, formDataOf(fields))).toEqual({ message: "Email or password is incorrect." });
        expect(await dataFingerprint(db)).toEqual(before);
        calls.refused++;
      }
    }
  });

  it("signOutAction: ends the caller's own sessions and nobody else's, and goes to /login", async () => {
    const signOutAction = publicAction("signOutAction");
    const { requireUser } = await import("../../lib/auth/session");
    const withoutUsers = async () => {
      const { User: _users, ...rest } = await dataFingerprint(db);
      return rest;
    };
    // Signed out: nothing to end, nothing changes.
    signIn("signed out");
    const untouched = await dataFingerprint(db);
    await expect(signOutAction()).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
    expect(await dataFingerprint(db)).toEqual(untouched);
    for (const role of ROLES) {
      const leaving = await signInAs(db, role);
      const before = await withoutUsers();
      signIn({ cookie: leaving.cookie });
      await expect(signOutAction()).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
      expect(await withoutUsers()).toEqual(before);
      // The cookie it signed out with no longer works; the other users' still do.
      signIn({ cookie: leaving.cookie });
      await expect(requireUser("viewer")).rejects.toMatchObject({ code: "unauthenticated" });
      signIn(role);
      await expect(requireUser(role)).resolves.toMatchObject({ id: users[role].id });
      calls.allowed++;
    }
  });

  it("signUpAction: anyone may sign up (that is its purpose); it only asks the address to confirm (double opt-in)", async () => {
    const signUpAction = publicAction("signUpAction");
    for (const caller of CALLERS) {
      signIn(caller);
      const email = `signup-${randomUUID().slice(0, 8)}@example.com`;
      expect(await signUpAction({}, formDataOf({ email, firstName: "Sam" }))).toEqual({ done: true });
      expect(await db.contact.findUnique({ where: { email } })).toBeNull();
      expect(await db.pendingSignup.count({ where: { email, confirmedAt: null } })).toBe(1);
      calls.allowed++;
    }
  });

  it("confirmSignupAction: only a valid confirmation link confirms, whoever is signed in", async () => {
    const action = publicAction("confirmSignupAction");
    for (const caller of CALLERS) {
      const { email, token } = await fx.confirmToken();
      const [id, exp, signature] = token.split(".");
      for (const bad of [`${id}.${exp}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`, `${id}.${Number(exp) + 1}.${signature}`, `${token}~`, "", randomUUID()]) {
        signIn(caller);
        const before = await dataFingerprint(db);
        expect(await action({}, formDataOf({ token: bad }))).toMatchObject({ message: expect.any(String) });
        expect(await dataFingerprint(db)).toEqual(before);
        calls.refused++;
      }
      signIn(caller);
      expect(await action({}, formDataOf({ token }))).toEqual({ status: "confirmed" });
      expect(await db.contact.findUniqueOrThrow({ where: { email } })).toMatchObject({ status: "subscribed" });
      calls.allowed++;
    }
  });

  it.each([
    ["acceptInviteAction", "invite"],
    ["resetPasswordAction", "password_reset"],
  ] as const)("%s: only a valid, unused link works, once, whoever is signed in", async (name, kind) => {
    const action = publicAction(name);
    const fields = { name: "New Member", password: "a long and unusual passphrase" };
    for (const caller of CALLERS) {
      const { email, token } = await fx.userToken(kind);
      const [id, exp, signature] = token.split(".");
      const otherKind = (await fx.userToken(kind === "invite" ? "password_reset" : "invite")).token;
      for (const bad of [`${id}.${exp}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`, `${id}.${Number(exp) + 1}.${signature}`, `${token}~`, otherKind, randomUUID()]) {
        signIn(caller);
        const before = await dataFingerprint(db);
        expect(await action({}, formDataOf({ ...fields, token: bad }))).toMatchObject({ message: expect.any(String) });
        expect(await dataFingerprint(db)).toEqual(before);
        calls.refused++;
      }
      signIn(caller);
      await expect(action({}, formDataOf({ ...fields, token }))).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
      const user = await db.user.findUniqueOrThrow({ where: { email } });
      expect(await (await import("../../lib/auth/password")).verifyPassword(fields.password, user.passwordHash)).toBe(true);
      calls.allowed++;
      // Used once: the same link again changes nothing.
      const before = await dataFingerprint(db);
      expect(await action({}, formDataOf({ ...fields, password: "another long passphrase", token }))).toMatchObject({ message: expect.any(String) });
      expect(await dataFingerprint(db)).toEqual(before);
      calls.refused++;
    }
  });

  it("requestPasswordResetAction: anyone may ask; the answer is the same for a known and an unknown address", async () => {
    const action = publicAction("requestPasswordResetAction");
    for (const caller of CALLERS) {
      signIn(caller);
      const known = await action({}, formDataOf({ email: users.marketer.email }));
      signIn(caller);
      const unknown = await action({}, formDataOf({ email: `nobody-${randomUUID().slice(0, 8)}@example.com` }));
      expect(known).toEqual({ done: true });
      expect(unknown).toEqual(known);
      calls.allowed += 2;
    }
  });

  it.each(["unsubscribeAction", "resubscribeAction"])("%s: only a valid link works, whoever is signed in", async (name) => {
    const action = publicAction(name);
    const contact = fx.contact;
    const forged = createUnsubscribeToken({ contactId: contact.id }, { secret: "someone-elses-secret-0123456789" });
    const expired = createUnsubscribeToken({ contactId: contact.id }, { now: new Date(Date.now() - 2 * 365 * 86_400_000) });
    for (const caller of CALLERS) {
      for (const token of [forged, expired, `${createUnsubscribeToken({ contactId: contact.id })}x`, "", contact.id]) {
        signIn(caller);
        const before = await dataFingerprint(db);
        expect(await action(null, formDataOf({ token }))).toMatchObject({ ok: false, code: "invalid_link" });
        expect(await dataFingerprint(db)).toEqual(before);
        calls.refused++;
      }
      signIn(caller);
      expect(await action(null, formDataOf({ token: createUnsubscribeToken({ contactId: contact.id }) }))).toMatchObject({ ok: true });
      calls.allowed++;
    }
  });
});
