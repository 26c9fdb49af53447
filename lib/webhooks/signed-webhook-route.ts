/**
 * The shape every provider webhook shares: read the body (capped, strict
 * UTF-8), verify the signature and refuse replays, rate limit per IP, pick the payload adapter from
 * ?provider=, parse, then hand the validated payload to the domain.
 */
import { z } from "zod";
import { now } from "../clock";
import { getDb } from "../db/client";
import type { Db } from "../db/prisma";
import type { FieldErrors } from "../errors";
import { clientAddress } from "../security/client-address";
import { rateLimit, RATE_LIMITS, tooManyRequests } from "../security/rate-limit";
import { readSignedWebhook, releaseSignature } from "../security/webhook-signature";
import type { Parsed } from "../validations/parse";

const invalid = (fieldErrors: FieldErrors) =>
  Response.json({ error: { code: "validation", message: "The webhook body is not valid.", fieldErrors } }, { status: 422 });

export function signedWebhookRoute<P extends string, T>(options: {
  name: string;
  providers: readonly [P, ...P[]];
  parse: (body: unknown, provider: P) => Parsed<T>;
  handle: (db: Db, payload: T, provider: P) => Promise<Record<string, unknown>>;
}): (request: Request) => Promise<Response> {
  const ZProvider = z.enum(options.providers, { message: `Must be one of: ${options.providers.join(", ")}` });

  return async (request) => {
    let digest: string | undefined;
    try {
      const db = getDb();
      const signed = await readSignedWebhook(db, request, now());
      if (!signed.ok) return signed.response;
      digest = signed.digest;

      const limit = await rateLimit(db, { key: `webhook:${options.name}:${clientAddress(request.headers)}`, ...RATE_LIMITS.webhookIp });
      if (!limit.allowed) {
        // Not received, only deferred: Retry-After invites the sender to send
        // this very request again, which must not then be refused as a replay.
        await releaseSignature(db, digest);
        return tooManyRequests(limit);
      }

      const provider = ZProvider.safeParse(new URL(request.url).searchParams.get("provider") ?? options.providers[0]);
      if (!provider.success) return invalid({ provider: provider.error.issues.map((i) => i.message) });
      let body: unknown;
      try {
        body = JSON.parse(signed.rawBody);
      } catch {
        return Response.json({ error: { code: "validation", message: "The body must be JSON." } }, { status: 400 });
      }
      const parsed = options.parse(body, provider.data);
      if (!parsed.ok) return invalid(parsed.fieldErrors);
      return Response.json({ ok: true, ...(await options.handle(db, parsed.data, provider.data)) });
    } catch (error) {
      console.error(`[webhooks] ${options.name} failed`, error);
      // Our failure, not the sender's: the same signed request may be retried.
      if (digest) await releaseSignature(getDb(), digest).catch(() => {});
      return Response.json({ error: { code: "internal", message: "Something went wrong." } }, { status: 500 });
    }
  };
}
