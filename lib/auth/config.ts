/**
 * The part of the Auth.js configuration that needs no database, shared by
 * the proxy (which only reads the session cookie) and the full config.
 */
import type { NextAuthConfig } from "next-auth";
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

export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  trustHost: process.env.AUTH_TRUST_HOST === "true" || process.env.NODE_ENV !== "production",
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
