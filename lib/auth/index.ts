import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "../db/client";
import { clientAddress } from "../security/client-address";
import { authConfig } from "./config";
import { TIMING_DUMMY_HASH, verifyPassword } from "./password";
import { recordSignInFailure, signInVerdict } from "./sign-in-throttle";

const ZCredentials = z.object({
  email: z.email().transform((e) => e.trim().toLowerCase()),
  password: z.string().min(1).max(200),
});

/** Too many failed sign-ins for the address or from the IP: refused whatever the password (lib/auth/sign-in-throttle.ts). */
export class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const { email, password } = parsed.data;
        const db = getDb();
        const ip = request?.headers ? clientAddress(request.headers) : "unknown";
        const verdict = await signInVerdict(db, email, ip);
        if (verdict.refused) throw new ThrottledSignIn();
        if (verdict.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
        const user = await db.user.findUnique({ where: { email } });
        const ok = await verifyPassword(password, user?.passwordHash ?? TIMING_DUMMY_HASH);
        if (!user || !ok || user.deactivatedAt) {
          await recordSignInFailure(db, email, ip);
          throw new CredentialsSignin();
        }
        return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
      },
    }),
  ],
});
