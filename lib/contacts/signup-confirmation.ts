import "server-only";
/**
 * Double opt-in. A public signup is stored as a PendingSignup (the pending
 * state of a signup contact) and answered with a confirmation email holding
 * a signed, expiring link; only the click creates or updates the contact,
 * records consent and fires signup triggers. Until then no sequence mails
 * the address and nothing it submitted is merged into any message. The
 * confirmation email itself merges nothing the signup supplied.
 *
 * STEPWISE_SIGNUP_OPT_IN=single turns this off (the signup counts at once).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import { mailConfig } from "../email/config";
import { escapeHtml } from "../email/render";
import { getTransport } from "../email/transports";
import { rateLimit } from "../security/rate-limit";
import type { TSignupInput } from "../validations/contact";

export const CONFIRMATION_TTL_MS = 48 * 3_600_000;
/** Per address: a stranger cannot bomb one mailbox with confirmation requests. */
export const CONFIRMATION_EMAIL_LIMIT = { limit: 3, windowMs: 24 * 3_600_000 } as const;

export type OptInMode = "single" | "double";

/** The signup opt-in mode: double unless STEPWISE_SIGNUP_OPT_IN=single. */
export function signupOptIn(): OptInMode {
  const value = (process.env.STEPWISE_SIGNUP_OPT_IN ?? "double").trim().toLowerCase();
  if (value === "single" || value === "double") return value;
  throw new Error(`STEPWISE_SIGNUP_OPT_IN must be "single" or "double", not "${value}"`);
}

function secret(): string {
  const value = process.env.STEPWISE_SIGNING_SECRET;
  if (!value || value.length < 16) throw new Error("STEPWISE_SIGNING_SECRET must be set (at least 16 characters) to sign confirmation links.");
  return value;
}

const mac = (data: string) => createHmac("sha256", secret()).update(`signup-confirm.v1.${data}`).digest();

/** `<pending id>.<expiry, unix seconds>.<base64url HMAC>`: canonical, fixed-length signature. */
export function createConfirmationToken(pendingId: string, expiresAt: Date): string {
  const data = `${pendingId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${data}.${mac(data).toString("base64url")}`;
}

export type ConfirmationLink = { ok: true; pendingId: string } | { ok: false; reason: "invalid" | "expired" };

export function verifyConfirmationToken(token: unknown, at: Date = currentTime()): ConfirmationLink {
  if (typeof token !== "string" || token.length > 200) return { ok: false, reason: "invalid" };
  const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const [, pendingId, exp, signature] = match;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(`${pendingId}.${exp}`);
  if (given.toString("base64url") !== signature || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  if (at.getTime() / 1000 > Number(exp)) return { ok: false, reason: "expired" };
  return { ok: true, pendingId };
}

type RequestMeta = { ip?: string | null; userAgent?: string | null };

/**
 * Stores the pending signup and sends the confirmation email. Nothing is
 * sent for an address that is unsubscribed, bounced or deleted (a signup
 * never resubscribes), nor past the per-address limit; the caller answers
 * the same either way.
 */
export async function requestSignupConfirmation(db: Db, input: Required<Pick<TSignupInput, "email">> & TSignupInput & RequestMeta): Promise<void> {
  const at = currentTime();
  const existing = await db.contact.findFirst({ where: { email: input.email }, select: { status: true, deletedAt: true } });
  if (existing && (existing.status !== "subscribed" || existing.deletedAt)) return;
  const digest = createHash("sha256").update(input.email).digest("hex").slice(0, 32);
  const limited = await rateLimit(db, { key: `signup-confirm:${digest}`, ...CONFIRMATION_EMAIL_LIMIT });
  if (!limited.allowed) return;

  const pending = await db.pendingSignup.create({
    data: {
      id: randomUUID(),
      email: input.email,
      firstName: input.firstName || null,
      lastName: input.lastName || null,
      source: input.source ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      createdAt: at,
      expiresAt: new Date(at.getTime() + CONFIRMATION_TTL_MS),
    },
  });
  await db.pendingSignup.deleteMany({ where: { expiresAt: { lt: new Date(at.getTime() - CONFIRMATION_TTL_MS) } } });

  const config = mailConfig();
  const link = `${config.appUrl}/signup/confirm/${createConfirmationToken(pending.id, pending.expiresAt)}`;
  const messageId = `confirm.${pending.id}@${config.messageIdDomain}`;
  // Only our own words and the link: nothing the signup typed is in this message.
  await getTransport(db).deliver({
    from: config.from,
    to: input.email,
    subject: `Please confirm your subscription to ${config.senderName}`,
    text: `Someone (hopefully you) asked to receive email from ${config.senderName} at this address.\n\nConfirm: ${link}\n\nIf it was not you, ignore this message: nothing will be sent.\n\n${config.postalAddress}\n`,
    html: `<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5"><p>Someone (hopefully you) asked to receive email from ${escapeHtml(config.senderName)} at this address.</p><p><a href="${escapeHtml(link)}">Confirm your subscription</a></p><p>If it was not you, ignore this message: nothing will be sent.</p><p style="font-size:12px;color:#666">${escapeHtml(config.postalAddress)}</p></body></html>`,
    headers: {},
    messageId,
    idempotencyKey: `signup-confirm:${pending.id}`,
  });
}

export type ConfirmOutcome = { ok: true; status: "confirmed" | "already_confirmed" } | { ok: false; reason: "invalid" | "expired" };

/**
 * The confirmation click: claims the pending signup once (a second click
 * says "already confirmed"), then signs the address up as a single opt-in
 * signup would, with the confirmation recorded in the consent event.
 */
export async function confirmSignup(
  db: Db,
  token: unknown,
  signUp: (db: Db, input: TSignupInput & RequestMeta & { email: string; confirmedAt: Date }) => Promise<void>,
): Promise<ConfirmOutcome> {
  const at = currentTime();
  const link = verifyConfirmationToken(token, at);
  if (!link.ok) return link;
  const claimed = await db.pendingSignup.updateManyAndReturn({
    where: { id: link.pendingId, confirmedAt: null, expiresAt: { gt: at } },
    data: { confirmedAt: at },
  });
  if (claimed.length === 0) {
    const row = await db.pendingSignup.findUnique({ where: { id: link.pendingId }, select: { confirmedAt: true } });
    return row?.confirmedAt ? { ok: true, status: "already_confirmed" } : { ok: false, reason: row ? "expired" : "invalid" };
  }
  const p = claimed[0];
  try {
    await signUp(db, {
      email: p.email,
      firstName: p.firstName ?? undefined,
      lastName: p.lastName ?? undefined,
      source: p.source ?? undefined,
      ip: p.ip,
      userAgent: p.userAgent,
      confirmedAt: at,
    });
  } catch (error) {
    // Not signed up after all: let the same link be clicked again.
    await db.pendingSignup.update({ where: { id: p.id }, data: { confirmedAt: null } }).catch(() => {});
    throw error;
  }
  return { ok: true, status: "confirmed" };
}
