/**
 * Every route handler under app/ (the API, and the tracked links and open
 * pixel in sent mail), with how it authenticates and a valid
 * request against the action fixtures. The fault suite's authorization
 * matrix and bad-input tests are driven by it; a route file or method
 * missing here fails the suite.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Fixtures } from "./action-catalog";

/** How a route decides who may call it. */
export type RouteAuth =
  | "api-key"
  | "session"
  /** A signed-in admin's session (viewers and marketers get 403). */
  | "admin-session"
  /** x-stepwise-signature over the raw body (WEBHOOK_SECRET). */
  | "webhook-signature"
  /** The signed token in the URL is the authorization (RFC 8058 one-click). */
  | "unsubscribe-token"
  /** The signed tracking token in the URL names a send (app/r, app/o: docs/tracking.md); anything else: 404. */
  | "tracking-token"
  /** Open by design: anyone may sign up (rate-limited per IP). */
  | "public"
  /** Informational only: never acts (GET on the one-click URL answers 405). */
  | "inert"
  /** Inngest's request signature, checked by serve() outside dev mode. */
  | "inngest-signature"
  /** Auth.js itself: the credentials callback checks the password. */
  | "authjs";

export type RouteRequest = { path: string; params: Record<string, string>; body?: string; contentType?: string; query?: string };

export type RouteEntry = {
  route: string;
  method: string;
  auth: RouteAuth;
  /** A valid request (for the authorized caller); omitted for Auth.js and Inngest, tested on their own. */
  request?: (fx: Fixtures) => RouteRequest;
  /** Statuses of a successful call. */
  ok?: number[];
  /** What its body is (none: no body). */
  body?: "json" | "form";
};

const json = (value: unknown) => JSON.stringify(value);

export const ROUTE_CATALOG: RouteEntry[] = [
  { route: "/api/auth/[...nextauth]", method: "GET", auth: "authjs" },
  { route: "/api/auth/[...nextauth]", method: "POST", auth: "authjs" },
  { route: "/api/inngest", method: "GET", auth: "inngest-signature" },
  { route: "/api/inngest", method: "POST", auth: "inngest-signature" },
  { route: "/api/inngest", method: "PUT", auth: "inngest-signature" },

  { route: "/api/activity/export", method: "GET", auth: "session", ok: [200], request: (fx) => ({ path: "/api/activity/export", params: {}, query: `?sequence=${fx.active.id}&type=enrolled` }) },
  { route: "/api/contacts/export", method: "GET", auth: "session", ok: [200], request: (fx) => ({ path: "/api/contacts/export", params: {}, query: `?tag=${fx.tag.id}` }) },
  { route: "/api/audit/export", method: "GET", auth: "admin-session", ok: [200], request: () => ({ path: "/api/audit/export", params: {}, query: "?object=sequence&from=2026-01-01" }) },
  { route: "/api/sequences/[id]/stats", method: "GET", auth: "session", ok: [200], request: (fx) => ({ path: `/api/sequences/${fx.active.id}/stats`, params: { id: fx.active.id } }) },

  { route: "/api/signup", method: "POST", body: "json", auth: "public", ok: [202], request: () => ({ path: "/api/signup", params: {}, body: json({ email: `signup-${randomUUID().slice(0, 8)}@example.com`, firstName: "Sam" }) }) },
  {
    route: "/api/unsubscribe/[token]",
    method: "POST",
    auth: "unsubscribe-token",
    ok: [200],
    body: "form",
    request: (fx) => {
      const token = fx.token();
      return { path: `/api/unsubscribe/${token}`, params: { token }, body: "List-Unsubscribe=One-Click", contentType: "application/x-www-form-urlencoded" };
    },
  },
  {
    route: "/api/unsubscribe/[token]",
    method: "GET",
    auth: "inert",
    ok: [405],
    request: (fx) => {
      const token = fx.token();
      return { path: `/api/unsubscribe/${token}`, params: { token } };
    },
  },

  // Public tracking routes in sent mail: a click (redirects to the link stored at send time) and the open pixel.
  ...(["GET", "HEAD"] as const).flatMap((method): RouteEntry[] => [
    { route: "/r/[token]", method, auth: "tracking-token", ok: [302], request: (fx) => ({ path: `/r/${fx.clickToken}`, params: { token: fx.clickToken } }) },
    { route: "/o/[token]", method, auth: "tracking-token", ok: [200], request: (fx) => ({ path: `/o/${fx.openToken}`, params: { token: fx.openToken } }) },
  ]),

  { route: "/api/v1/contacts", method: "POST", body: "json", auth: "api-key", ok: [201], request: (fx) => ({ path: "/api/v1/contacts", params: {}, body: json({ email: `api-${fx.suffix}-${randomUUID().slice(0, 4)}@example.com`, tags: ["api"] }) }) },
  { route: "/api/v1/contacts/[id]", method: "GET", auth: "api-key", ok: [200], request: (fx) => ({ path: `/api/v1/contacts/${fx.contact.id}`, params: { id: fx.contact.id } }) },
  { route: "/api/v1/contacts/[id]", method: "PATCH", body: "json", auth: "api-key", ok: [200], request: (fx) => ({ path: `/api/v1/contacts/${fx.contact.id}`, params: { id: fx.contact.id }, body: json({ firstName: "Ada", attributes: { plan: "pro" } }) }) },
  { route: "/api/v1/contacts/[id]/score", method: "PUT", body: "json", auth: "api-key", ok: [200], request: (fx) => ({ path: `/api/v1/contacts/${fx.contact.id}/score`, params: { id: fx.contact.id }, body: json({ delta: 5 }) }) },
  { route: "/api/v1/contacts/[id]/tags", method: "POST", body: "json", auth: "api-key", ok: [200], request: (fx) => ({ path: `/api/v1/contacts/${fx.contact.id}/tags`, params: { id: fx.contact.id }, body: json({ tags: ["trial"] }) }) },
  { route: "/api/v1/contacts/[id]/tags", method: "DELETE", body: "json", auth: "api-key", ok: [200], request: (fx) => ({ path: `/api/v1/contacts/${fx.tagged.id}/tags`, params: { id: fx.tagged.id }, body: json({ tags: [fx.tag.name] }) }) },
  { route: "/api/v1/enrollments", method: "POST", body: "json", auth: "api-key", ok: [201], request: (fx) => ({ path: "/api/v1/enrollments", params: {}, body: json({ email: fx.other.email, sequenceId: fx.active.id }) }) },
  { route: "/api/v1/enrollments", method: "DELETE", body: "json", auth: "api-key", ok: [200], request: (fx) => ({ path: "/api/v1/enrollments", params: {}, body: json({ contactId: fx.enrolled.id, sequenceId: fx.active.id }) }) },

  { route: "/api/webhooks/bounces", method: "POST", body: "json", auth: "webhook-signature", ok: [200], request: (fx) => ({ path: "/api/webhooks/bounces", params: {}, body: json({ email: fx.contact.email, type: "hard", detail: "550 mailbox unavailable" }) }) },
  { route: "/api/webhooks/replies", method: "POST", body: "json", auth: "webhook-signature", ok: [200], request: (fx) => ({ path: "/api/webhooks/replies", params: {}, body: json({ from: fx.enrolled.email, subject: "Re: hello" }) }) },
];

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

export type LoadedRoute = { route: string; method: string; handler: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> };

/** Every exported HTTP method of every route file under app/, loaded for real. */
export async function routesOnDisk(root = process.cwd()): Promise<LoadedRoute[]> {
  const loaded: LoadedRoute[] = [];
  for (const file of routeFiles(path.join(root, "app")).sort()) {
    const route = `/${path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).join("/")}`;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") loaded.push({ route, method, handler: mod[method] as LoadedRoute["handler"] });
    }
  }
  return loaded;
}
