/**
 * The part of the Auth.js configuration that needs no database, shared by
 * the proxy (which only reads the session cookie) and the full config.
 */
import type { NextAuthConfig } from "next-auth";
import { authLogger } from "./logger";
import { appOrigin, safeRedirectTarget } from "../security/redirect-target";
import type { Role } from "./roles";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role; sessionVersion: number };
  }
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
}

/**
 * Whether Auth.js may build URLs from the request's (X-Forwarded-)Host. Only
 * when the operator says so (AUTH_TRUST_HOST), when a proxy that sets those
 * headers is configured (TRUSTED_PROXY_HOPS), or when AUTH_URL pins the URL
 * (next-auth then rewrites every request to AUTH_URL's origin, so a forged
 * header changes nothing). Development and tests (not exposed) trust it.
 */
export function trustHostFrom(env: NodeJS.ProcessEnv): boolean {
  if (env.AUTH_TRUST_HOST === "true" || env.AUTH_TRUST_HOST === "1") return true;
  if (env.AUTH_TRUST_HOST === "false" || env.AUTH_TRUST_HOST === "0") return false;
  if (env.TRUSTED_PROXY_HOPS || env.AUTH_URL) return true;
  return env.NODE_ENV !== "production";
}

export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  trustHost: trustHostFrom(process.env),
  logger: authLogger,
  providers: [],
  callbacks: {
    // Auth.js's own callbackUrl handling goes through the app's one redirect check.
    redirect({ url, baseUrl }) {
      return safeRedirectTarget(url, "/sequences", appOrigin(baseUrl));
    },
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.sessionVersion = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = (token.role as Role | undefined) ?? "viewer";
      session.user.sessionVersion = typeof token.sessionVersion === "number" ? token.sessionVersion : -1;
      return session;
    },
  },
} satisfies NextAuthConfig;
