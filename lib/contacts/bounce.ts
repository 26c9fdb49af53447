/**
 * Bounces and spam complaints reported by the mail provider. A hard bounce
 * or a complaint makes the contact unmailable (status bounced) and ends
 * their sequences; soft bounces are transient and change nothing.
 */
import { z } from "zod";
import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { recordOutboundEvents } from "../outbound-webhooks/record";
import { endLiveEnrollmentsMany, publishExitEvents, type ExitedEnrollment } from "../sequences/exit-contact";
import { attributeToSends, latestSendOf } from "../tracking/attribution";
import { parsedOf as parsed, type Parsed } from "../validations/parse";
import { normalizeEmail, ZEmail } from "./email";

export type BounceKind = "hard" | "complaint";
export type MarkBouncedOutcome =
  | { outcome: "no_contact"; exited: [] }
  | { outcome: "bounced" | "already_bounced"; contactId: string; exited: ExitedEnrollment[] };

export type BounceInput = { email: string; kind: BounceKind; detail?: string; sendId?: string };

/**
 * Marks the (not deleted) contact with this address bounced, records a
 * bounced/complained consent event and exits their live enrollments with
 * reason bounced, and counts the bounce against the send it reports (`sendId`,
 * else the contact's latest). Idempotent: providers retry webhooks, and a contact that is
 * already bounced changes nothing and records nothing.
 */
export async function markBounced(db: Db, input: BounceInput): Promise<MarkBouncedOutcome> {
  const [result] = await markBouncedMany(db, [input]);
  return result;
}

/**
 * Several bounces (the mailbox reader's batch), each as markBounced marks
 * it, in one transaction and a fixed number of statements: the contacts
 * are locked in address order (so two of these never wait on each other in
 * a cycle), and an address named twice is bounced by the first input and
 * found already bounced by the rest, as calling markBounced in turn would.
 * Outcomes in the order given.
 */
export async function markBouncedMany(db: Db, inputs: BounceInput[]): Promise<MarkBouncedOutcome[]> {
  if (inputs.length === 0) return [];
  const results = await db.$transaction((tx) => markBouncedIn(tx, inputs));
  await announceBounces(results);
  return results;
}

/** The cancel events of committed bounces: after the commit, never before. */
export async function announceBounces(results: MarkBouncedOutcome[]): Promise<void> {
  for (const result of results) {
    if (result.outcome === "bounced") await publishExitEvents({ contactId: result.contactId, reason: "bounced" }, result.exited);
  }
}

type Bouncing = { i: number; contactId: string; input: BounceInput; detail: string | undefined; sendId: string | null };

/**
 * markBouncedMany's writes inside the caller's transaction (the mailbox
 * reader records a batch's bounces and replies in one commit); the caller
 * announces them (announceBounces) once it has committed.
 */
export async function markBouncedIn(tx: Tx, inputs: BounceInput[]): Promise<MarkBouncedOutcome[]> {
  if (inputs.length === 0) return [];
  const emails = inputs.map((input) => normalizeEmail(input.email));
  const contacts = await tx.$queryRaw<{ id: string; status: string; email: string }[]>`
    SELECT "id", "status"::text AS "status", lower("email") AS "email" FROM "Contact"
    WHERE lower("email") = ANY(${[...new Set(emails)]}::text[]) AND "deletedAt" IS NULL
    ORDER BY lower("email"), "id" FOR UPDATE`;
  const byEmail = new Map<string, { id: string; status: string }>();
  for (const contact of contacts) if (!byEmail.has(contact.email)) byEmail.set(contact.email, contact);

  const out: MarkBouncedOutcome[] = new Array(inputs.length);
  const bouncing: Bouncing[] = [];
  const seen = new Set<string>();
  for (const [i, email] of emails.entries()) {
    const contact = byEmail.get(email);
    if (!contact) out[i] = { outcome: "no_contact", exited: [] };
    else if (contact.status === "bounced" || seen.has(contact.id)) out[i] = { outcome: "already_bounced", contactId: contact.id, exited: [] };
    else {
      seen.add(contact.id);
      bouncing.push({ i, contactId: contact.id, input: inputs[i], detail: inputs[i].detail?.slice(0, 500), sendId: inputs[i].sendId ?? null });
    }
  }
  if (bouncing.length === 0) return out;

  const at = currentTime();
  const hard = (b: Bouncing) => b.input.kind === "hard";
  // The contacts and their consent events in one statement (the reader records a batch of bounces at once).
  await tx.$executeRaw`
    WITH b AS (
      SELECT * FROM unnest(${bouncing.map((b) => b.contactId)}::text[], ${bouncing.map((b) => (hard(b) ? "bounced" : "complained"))}::text[], ${bouncing.map((b) => b.detail ?? null)}::text[])
        WITH ORDINALITY AS b("contactId", "type", "detail", "n")
    ), marked AS (
      UPDATE "Contact" c SET "status" = 'bounced', "bouncedAt" = ${at}, "updatedAt" = ${at} FROM b WHERE c."id" = b."contactId"
    )
    INSERT INTO "ConsentEvent" ("contactId", "type", "source", "detail", "createdAt")
    SELECT b."contactId", b."type"::"ConsentEventType", 'webhook', b."detail", ${at} FROM b ORDER BY b."n"`;
  // The send that bounced (named by the report), else the contact's last one sent: its step's bounce count.
  for (const b of bouncing) b.sendId ??= await latestSendOf(tx, b.contactId);
  await attributeToSends(tx, bouncing.flatMap((b) => (b.sendId ? [{ sendId: b.sendId, contactId: b.contactId }] : [])), "bounced", at);
  const exited = await endLiveEnrollmentsMany(
    tx,
    bouncing.map((b) => ({ contactId: b.contactId, reason: "bounced", detail: hard(b) ? "hard bounce" : "spam complaint" })),
  );
  await recordOutboundEvents(
    tx,
    "contact.bounced",
    bouncing.map((b) => ({ contactId: b.contactId, kind: hard(b) ? "hard" : "complaint", detail: b.detail })),
    at,
  );
  bouncing.forEach((b, k) => (out[b.i] = { outcome: "bounced", contactId: b.contactId, exited: exited[k] }));
  return out;
}

/** The provider-neutral bounce webhook body. */
export const ZBounceWebhook = z.object({
  email: ZEmail,
  type: z.enum(["hard", "soft", "complaint"], { message: "Must be hard, soft or complaint" }),
  detail: z.string().max(2000).optional(),
});
export type TBounceWebhook = z.infer<typeof ZBounceWebhook>;

/** Postmark's bounce and spam-complaint webhooks (only the fields used). */
const ZPostmarkBounce = z.object({
  Type: z.string().min(1, "Required"),
  Email: z.string().min(1, "Required"),
  Description: z.string().optional(),
  Details: z.string().optional(),
});

// Postmark types that mean the address will never accept mail (or the
// recipient does not want it); every other type (SoftBounce, Transient,
// DnsError, AutoResponder, ...) is temporary or informational.
const POSTMARK_HARD = new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated"]);
const POSTMARK_COMPLAINT = new Set(["SpamComplaint"]);

export const BOUNCE_PROVIDERS = ["generic", "postmark"] as const;
export type BounceProvider = (typeof BOUNCE_PROVIDERS)[number];


/** Validates a bounce webhook body from `provider` into the neutral shape. */
export function parseBounceWebhook(body: unknown, provider: BounceProvider): Parsed<TBounceWebhook> {
  if (provider === "generic") return parsed(ZBounceWebhook.safeParse(body));
  const postmark = parsed(ZPostmarkBounce.safeParse(body));
  if (!postmark.ok) return postmark;
  const { Type, Email, Description, Details } = postmark.data;
  const type = POSTMARK_HARD.has(Type) ? "hard" : POSTMARK_COMPLAINT.has(Type) ? "complaint" : "soft";
  const detail = [`Postmark ${Type}`, Description, Details].filter(Boolean).join(": ").slice(0, 2000);
  return parsed(ZBounceWebhook.safeParse({ email: Email, type, detail }));
}
