/**
 * Real sessions for server actions and route handlers under test: users
 * sign in through the app's own Auth.js route (credentials callback, CSRF
 * and all), and the resulting session cookie is what `next/headers` returns
 * to the code under test. Test files mock "next/headers" with
 * `nextHeadersMock` (vi.mock is hoisted per file, so each file declares it).
 */
import bcrypt from "bcryptjs";
import type { Db } from "../../lib/db/prisma";
import type { Role } from "../../lib/auth/roles";

export const AUTH_SECRET = "fault-suite-auth-secret-0123456789abcdef";
const PASSWORD = "fault-suite-password";
const BASE = "http://localhost:3000";

/** What the code under test sees as the incoming request's headers. */
export const currentRequest = { headers: new Headers() };

/** Module factory for vi.mock("next/headers", ...). */
export const nextHeadersMock = {
  headers: async () => currentRequest.headers,
  cookies: async () => ({
    get: (name: string) => {
      const match = (currentRequest.headers.get("cookie") ?? "").split(/;\s*/).find((c) => c.startsWith(`${name}=`));
      return match ? { name, value: match.slice(name.length + 1) } : undefined;
    },
    getAll: () => [],
    has: () => false,
    set: () => {},
    delete: () => {},
  }),
};

/** Signs the next calls in with `cookie` (null: signed out), from `ip`. */
export function actAs(cookie: string | null, ip = "198.51.100.23") {
  const headers = new Headers({ host: "localhost:3000", "x-forwarded-proto": "http", "x-forwarded-for": ip, "user-agent": "fault-suite" });
  if (cookie) headers.set("cookie", cookie);
  currentRequest.headers = headers;
}

export type SignedInUser = { id: string; email: string; role: Role; cookie: string };

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]);
}

/**
 * Creates a user with `role` and signs them in through the real Auth.js
 * route; returns the session cookie a browser would send.
 */
export async function signInAs(db: Db, role: Role, email = `${role}-${Math.random().toString(36).slice(2, 8)}@fault.example`): Promise<SignedInUser> {
  process.env.AUTH_SECRET ??= AUTH_SECRET;
  // Cost 4 instead of the app's 12: the check is the same, the test is faster.
  const user = await db.user.create({ data: { email, name: role, role, passwordHash: await bcrypt.hash(PASSWORD, 4) } });
  const cookie = await signInWithPassword(email, PASSWORD);
  if (!cookie) throw new Error(`could not sign ${email} in`);
  return { id: user.id, email, role, cookie };
}

/** The session cookie from the credentials callback, or null when Auth.js refused the sign-in. */
export async function signInWithPassword(email: string, password: string): Promise<string | null> {
  process.env.AUTH_SECRET ??= AUTH_SECRET;
  const { GET, POST } = await import("../../app/api/auth/[...nextauth]/route");
  const { NextRequest } = await import("next/server");
  const csrfResponse = await GET(new NextRequest(`${BASE}/api/auth/csrf`));
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: "POST",
      body: new URLSearchParams({ email, password, csrfToken }),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrfResponse).join("; ") },
    }),
  );
  return cookiesOf(response).find((c) => c.startsWith("authjs.session-token=")) ?? null;
}
