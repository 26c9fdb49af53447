/**
 * Withdrawing and giving back consent from a public link. Every change is
 * recorded as a ConsentEvent in the same transaction (GDPR Art. 7), and an
 * opt-out ends every live enrollment before it commits.
 */
import { now as currentTime } from "../clock";
import type { Db, Tx } from "../db/prisma";
import { verifyUnsubscribeToken } from "../email/unsubscribe-token";
import { AppError } from "../errors";
import { recordOutboundEvent } from "../outbound-webhooks/record";
import { endLiveEnrollments, publishExitEvents, type ExitedEnrollment } from "../sequences/exit-contact";
import { attributeToSend } from "../tracking/attribution";

/**
 * `actor` is the signed-in user who made the change, when one did: the
 * record then says so (source "admin"), and never reads as the contact's own choice.
 */
type ConsentContext = { contactId: string; source: string; ip?: string; userAgent?: string; actor?: { id: string; email: string } };

/** The consent record's source and detail: a signed-in user's change is always theirs. */
function attribution(input: ConsentContext): { source: string; detail: string | null } {
  if (!input.actor) return { source: input.source, detail: null };
  const via = input.source === "admin" ? "" : ` (through ${input.source})`;
  return { source: "admin", detail: `by user ${input.actor.email} [${input.actor.id}]${via}`.slice(0, 500) };
}
type LockedContact = { id: string; status: "subscribed" | "unsubscribed" | "bounced"; unsubscribedAt: Date | null };

export type UnsubscribeOutcome = { outcome: "unsubscribed" | "already_unsubscribed"; exited: ExitedEnrollment[] };
export type ResubscribeOutcome = { outcome: "resubscribed" | "already_subscribed" };

/** Locks a live (not deleted) contact, so that consent changes and sends serialise on it. */
async function lockContact(tx: Tx, contactId: string): Promise<LockedContact> {
  const [contact] = await tx.$queryRaw<LockedContact[]>`
    SELECT "id", "status"::text AS "status", "unsubscribedAt"
    FROM "Contact" WHERE "id" = ${contactId} AND "deletedAt" IS NULL FOR UPDATE`;
  if (!contact) throw new AppError("not_found", "This contact does not exist.");
  return contact;
}

const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : undefined);

/**
 * Unsubscribes a contact and ends all their sequences (reason opted_out).
 * Idempotent: an already unsubscribed contact changes nothing and records
 * nothing. A bounced contact keeps its status but its withdrawal is recorded.
 */
export async function unsubscribeContact(db: Db, input: ConsentContext & { messageRef?: string }): Promise<UnsubscribeOutcome> {
  const result = await db.$transaction(async (tx): Promise<UnsubscribeOutcome> => {
    const contact = await lockContact(tx, input.contactId);
    if (contact.status === "unsubscribed" || (contact.status === "bounced" && contact.unsubscribedAt)) {
      return { outcome: "already_unsubscribed", exited: [] };
    }
    const at = currentTime();
    await tx.contact.update({
      where: { id: contact.id },
      data: { unsubscribedAt: at, ...(contact.status === "subscribed" ? { status: "unsubscribed" as const } : {}) },
    });
    await tx.consentEvent.create({
      data: {
        contactId: contact.id,
        type: "unsubscribed",
        ...attribution(input),
        ip: clip(input.ip, 64),
        userAgent: clip(input.userAgent, 500),
        messageRef: clip(input.messageRef, 100),
        createdAt: at,
      },
    });
    // The message whose link or one-click header was used gets the unsubscribe in its step's stats.
    if (input.messageRef) await attributeToSend(tx, { sendId: input.messageRef, contactId: contact.id, kind: "unsubscribed", at });
    const exited = await endLiveEnrollments(tx, { contactId: contact.id, reason: "opted_out", detail: `unsubscribed (${attribution(input).source})` });
    await recordOutboundEvent(tx, "contact.opted_out", { contactId: contact.id, source: attribution(input).source }, at);
    return { outcome: "unsubscribed", exited };
  });
  await publishExitEvents({ contactId: input.contactId, reason: "opted_out" }, result.exited);
  return result;
}

/**
 * Subscribes an unsubscribed contact again and records it. Re-enrolls
 * nobody: sequences they left stay ended. A bounced address cannot be
 * resubscribed from a link (mail to it does not arrive).
 */
export async function resubscribeContact(db: Db, input: ConsentContext): Promise<ResubscribeOutcome> {
  return db.$transaction(async (tx): Promise<ResubscribeOutcome> => {
    const contact = await lockContact(tx, input.contactId);
    if (contact.status === "bounced") {
      throw new AppError("conflict", "Mail to this address could not be delivered, so it cannot be resubscribed. Correct the address first.");
    }
    if (contact.status === "subscribed") return { outcome: "already_subscribed" };
    const at = currentTime();
    await tx.contact.update({ where: { id: contact.id }, data: { status: "subscribed", unsubscribedAt: null } });
    await tx.consentEvent.create({
      data: { contactId: contact.id, type: "resubscribed", ...attribution(input), ip: clip(input.ip, 64), userAgent: clip(input.userAgent, 500), createdAt: at },
    });
    return { outcome: "resubscribed" };
  });
}

/** a***@e***.com: enough to recognise one's own address, not to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : "";
  return `${local[0]}***@${host ? `${host[0]}***` : "***"}${tld}`;
}

export type UnsubscribeLink =
  | { ok: false }
  | { ok: true; contactId: string; messageRef?: string; maskedEmail: string; status: "subscribed" | "unsubscribed" | "bounced" };

/**
 * What the public unsubscribe page shows for a token: nothing but a masked
 * address and the current status, and only for a valid, unexpired token of a
 * contact that still exists. Changes nothing.
 */
export async function readUnsubscribeLink(db: Db, token: string): Promise<UnsubscribeLink> {
  const verified = verifyUnsubscribeToken(token, { now: currentTime() });
  if (!verified.ok) return { ok: false };
  const contact = await db.contact.findFirst({
    where: { id: verified.payload.contactId, deletedAt: null },
    select: { email: true, status: true },
  });
  if (!contact) return { ok: false };
  return {
    ok: true,
    contactId: verified.payload.contactId,
    messageRef: verified.payload.messageRef,
    maskedEmail: maskEmail(contact.email),
    status: contact.status,
  };
}
