/**
 * Bounces and spam complaints reported by the mail provider. A hard bounce
 * or a complaint makes the contact unmailable (status bounced) and ends
 * their sequences; soft bounces are transient and change nothing.
 */
import { z } from "zod";
import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { recordOutboundEvent } from "../outbound-webhooks/record";
import { endLiveEnrollments, publishExitEvents, type ExitedEnrollment } from "../sequences/exit-contact";
import { attributeToSend, latestSendOf } from "../tracking/attribution";
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
 * it, in one transaction: one commit. The contacts are locked in address
 * order, so two of these never wait on each other in a cycle. Outcomes in
 * the order given.
 */
export async function markBouncedMany(db: Db, inputs: BounceInput[]): Promise<MarkBouncedOutcome[]> {
  if (inputs.length === 0) return [];
  const order = inputs.map((input, i) => ({ email: normalizeEmail(input.email), i })).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.i - b.i));
  const results = await db.$transaction(async (tx) => {
    const out: MarkBouncedOutcome[] = new Array(inputs.length);
    for (const { email, i } of order) out[i] = await bounceOne(tx, email, inputs[i]);
    return out;
  });
  for (const result of results) {
    if (result.outcome === "bounced") await publishExitEvents({ contactId: result.contactId, reason: "bounced" }, result.exited);
  }
  return results;
}

async function bounceOne(tx: Tx, email: string, input: BounceInput): Promise<MarkBouncedOutcome> {
  const [contact] = await tx.$queryRaw<{ id: string; status: string }[]>`
    SELECT "id", "status"::text AS "status" FROM "Contact"
    WHERE lower("email") = ${email} AND "deletedAt" IS NULL FOR UPDATE`;
  if (!contact) return { outcome: "no_contact", exited: [] };
  if (contact.status === "bounced") return { outcome: "already_bounced", contactId: contact.id, exited: [] };

  const at = currentTime();
  const detail = input.detail?.slice(0, 500);
  await tx.contact.update({ where: { id: contact.id }, data: { status: "bounced", bouncedAt: at } });
  await tx.consentEvent.create({
    data: { contactId: contact.id, type: input.kind === "hard" ? "bounced" : "complained", source: "webhook", detail, createdAt: at },
  });
  // The send that bounced (named by the report), else the last one sent: its step's bounce count.
  const sendId = input.sendId ?? (await latestSendOf(tx, contact.id));
  if (sendId) await attributeToSend(tx, { sendId, contactId: contact.id, kind: "bounced", at });
  const exited = await endLiveEnrollments(tx, { contactId: contact.id, reason: "bounced", detail: input.kind === "hard" ? "hard bounce" : "spam complaint" });
  await recordOutboundEvent(tx, "contact.bounced", { contactId: contact.id, kind: input.kind === "hard" ? "hard" : "complaint", detail }, at);
  return { outcome: "bounced", contactId: contact.id, exited };
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
