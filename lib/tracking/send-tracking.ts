/**
 * Where a rendered step message becomes a tracked one, at send time (called
 * once from lib/sequences/run-step.ts's deliver): unless the sequence has
 * tracking off, its HTML links go through /r/ and it gets an open pixel, and
 * the original links are stored for the click route before the message
 * leaves. A retried send stores its links again (the body may have been
 * edited in between): the stored links are always those of the last message
 * handed to the transport.
 */
import "server-only";
import { execute } from "../db/direct";
import { Prisma, type Db } from "../db/prisma";
import { addOpenPixel, rewriteLinks } from "./rewrite-links";

type Message = { html: string };

/** Our own unsubscribe links are never rewritten: opting out must not depend on the tracker. */
const unsubscribeLinks = (appUrl: string) => [`${appUrl}/unsubscribe/`, `${appUrl}/api/unsubscribe/`];

export async function withTracking<M extends Message>(
  db: Db,
  input: { sendId: string; trackingEnabled: boolean; appUrl: string },
  message: M,
): Promise<M> {
  if (!input.trackingEnabled) return message;
  const { html, links } = rewriteLinks(message.html, { appUrl: input.appUrl, sendId: input.sendId, keep: unsubscribeLinks(input.appUrl) });
  await execute(db, Prisma.sql`
    WITH extra AS (DELETE FROM "TrackedLink" WHERE "sendId" = ${input.sendId} AND "index" >= ${links.length})
    INSERT INTO "TrackedLink" ("sendId", "index", "url")
    SELECT ${input.sendId}, l."ordinality" - 1, l."url" FROM jsonb_array_elements_text(${JSON.stringify(links)}::jsonb) WITH ORDINALITY AS l("url", "ordinality")
    ON CONFLICT ("sendId", "index") DO UPDATE SET "url" = EXCLUDED."url"`);
  return { ...message, html: addOpenPixel(html, { appUrl: input.appUrl, sendId: input.sendId }) };
}
