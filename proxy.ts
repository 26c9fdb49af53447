/**
 * Redirects signed-out visitors of admin pages to /login. This is a
 * convenience, not the protection: every page, server action and route
 * handler checks the session itself.
 */
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "./lib/auth/config";

const { auth } = NextAuth(authConfig);

const PUBLIC_PREFIXES = ["/login", "/unsubscribe", "/signup", "/api/"];

export const proxy = auth((req) => {
  const { pathname } = req.nextUrl;
  const isPublic = PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`) || pathname === p);
  if (!req.auth && !isPublic) {
    const url = new URL("/login", req.nextUrl.origin);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + req.nextUrl.search);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
});

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
