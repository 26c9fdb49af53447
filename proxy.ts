/**
 * Runs before every request. Two jobs:
 * - Security headers on every response, from lib/security/headers.ts: a
 *   nonce-based Content-Security-Policy (Next reads the nonce from the
 *   request's CSP header and puts it on its own scripts, which is why every
 *   page renders dynamically), framing denied, and the rest.
 * - Redirects signed-out visitors of admin pages to /login. This is a
 *   convenience, not the protection: every page, server action and route
 *   handler checks the session itself.
 */
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "./lib/auth/config";
import { contentSecurityPolicy, newNonce, securityHeaders, servedOverHttps } from "./lib/security/headers";

const { auth } = NextAuth(authConfig);

// /r/ and /o/: tracked links and the open pixel in sent mail (app/r, app/o; docs/tracking.md).
const PUBLIC_PREFIXES = ["/login", "/invite", "/unsubscribe", "/signup", "/r/", "/o/", "/api/", "/_next/", "/favicon.ico", "/icon"];

export const proxy = auth((req) => {
  const { pathname } = req.nextUrl;
  const https = servedOverHttps();
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });

  const isPublic = PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
  let response: NextResponse;
  if (!req.auth && !isPublic) {
    const url = new URL("/login", req.nextUrl.origin);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + req.nextUrl.search);
    response = NextResponse.redirect(url);
  } else {
    const requestHeaders = new Headers(req.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(securityHeaders({ pathname, csp, https }))) response.headers.set(name, value);
  return response;
});

export const config = {
  // Every path, static files included, so that every response carries the headers.
  matcher: ["/:path*"],
};
