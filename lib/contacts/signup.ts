import { now as currentTime } from "../clock";
import type { Db } from "../db/prisma";
import type { FieldErrors } from "../errors";
import { rateLimit } from "../security/rate-limit";
import { fireSignupTriggers } from "../triggers/fire";
import { requestSignupConfirmation, signupOptIn } from "./signup-confirmation";
import { ZSignupInput, type TSignupInput } from "../validations/contact";
import { parsedOf, parseOrThrow } from "../validations/parse";

/** Per IP: enough for a shared office network, too few to enumerate or flood. */
export const SIGNUP_RATE_LIMIT = { limit: 10, windowMs: 10 * 60_000 } as const;

type RequestMeta = { ip?: string | null; userAgent?: string | null };
/** Set when the address confirmed the signup by its emailed link (double opt-in). */
type Confirmation = { confirmedAt?: Date };

/**
 * Signs up an email: creates the contact if new and fires signup triggers.
 * An existing subscribed contact's signup fires them too (a new form may
 * start a new sequence), but nothing about an existing contact changes:
 * an unsubscribed one is not resubscribed, a bounced or deleted one is left
 * alone. Returns nothing, so no caller can reveal whether the email existed.
 */
export async function signUp(db: Db, input: TSignupInput & RequestMeta & Confirmation): Promise<void> {
  const { email, firstName, lastName, source } = parseOrThrow(ZSignupInput, input);
  const now = currentTime();

  const contact = await db.$transaction(async (tx) => {
    // DO NOTHING on any unique conflict: the email (in any case) is taken.
    const [created] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Contact" ("id", "email", "firstName", "lastName", "createdAt", "updatedAt")
      VALUES (gen_random_uuid()::text, ${email}, ${firstName || null}, ${lastName || null}, ${now.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3))
      ON CONFLICT DO NOTHING
      RETURNING "id"`;
    if (created) {
      await tx.consentEvent.create({
        data: {
          contactId: created.id,
          type: "subscribed",
          source: "signup",
          ip: input.ip?.slice(0, 64) ?? null,
          userAgent: input.userAgent?.slice(0, 500) ?? null,
          detail: [source ? `form: ${source}` : null, input.confirmedAt ? `confirmed by email link at ${input.confirmedAt.toISOString()}` : null].filter(Boolean).join("; ") || null,
          createdAt: now,
        },
      });
      return { id: created.id, mailable: true };
    }
    const existing = await tx.contact.findFirst({ where: { email }, select: { id: true, status: true, deletedAt: true } });
    return existing && { id: existing.id, mailable: existing.status === "subscribed" && !existing.deletedAt };
  });

  if (contact?.mailable) await fireSignupTriggers(db, { contactId: contact.id, signupSource: source ?? null });
}

export type PublicSignupResult = { ok: true } | { ok: false; code: "validation"; fieldErrors: FieldErrors } | { ok: false; code: "rate_limited"; retryAfterSeconds: number };

/**
 * The public signup endpoint and hosted form share this: validate (invalid
 * input writes nothing), rate-limit per IP, then either ask the address to
 * confirm (double opt-in, the default) or sign up at once
 * (STEPWISE_SIGNUP_OPT_IN=single). Valid input always answers the same,
 * whether or not the email existed.
 */
export async function publicSignUp(db: Db, input: { body: unknown; ip: string; userAgent?: string | null }): Promise<PublicSignupResult> {
  const parsed = parsedOf(ZSignupInput.safeParse(input.body));
  if (!parsed.ok) return { ok: false, code: "validation", fieldErrors: parsed.fieldErrors };
  const limited = await rateLimit(db, { key: `signup:ip:${input.ip}`, ...SIGNUP_RATE_LIMIT });
  if (!limited.allowed) return { ok: false, code: "rate_limited", retryAfterSeconds: limited.retryAfterSeconds };
  const request = { ...parsed.data, ip: input.ip, userAgent: input.userAgent };
  if (signupOptIn() === "double") await requestSignupConfirmation(db, request);
  else await signUp(db, request);
  return { ok: true };
}
