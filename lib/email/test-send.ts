import "server-only";
/**
 * "Send a test to me": the step rendered for a chosen contact (as the
 * preview shows it) and delivered to the signed-in user through the
 * configured transport. It touches no enrollment, send record or event, so
 * it counts in no statistic, and its unsubscribe link changes nothing.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { rateLimit } from "../security/rate-limit";
import { mailConfig } from "./config";
import { assertMergeTagsKnown } from "./merge-tag-check";
import { previewStep } from "./step-preview";
import { getTransport, TransientDeliveryError } from "./transports";

/** Per user: enough to iterate on a step, too few to mail-bomb anyone through it. */
export const TEST_SEND_LIMIT = { limit: 10, windowMs: 10 * 60_000 };

export async function sendTestStep(
  db: Db,
  input: { subject: string; body: string; contactId?: string; sequenceId?: string },
  user: { id: string; email: string },
): Promise<{ to: string; subject: string }> {
  await assertMergeTagsKnown(db, input);
  const allowed = await rateLimit(db, { key: `test-send:${user.id}`, ...TEST_SEND_LIMIT });
  if (!allowed.allowed) throw new AppError("rate_limited", `Too many test messages. Try again in ${allowed.retryAfterSeconds} seconds.`);

  // From the sequence's sender, as its real sends will be.
  const { message, sender } = await previewStep(db, input);
  const config = mailConfig();
  const id = randomUUID();
  const subject = `[Test] ${message.subject}`;
  try {
    await getTransport(db).deliver({
      from: sender.from,
      replyTo: sender.replyTo,
      to: user.email,
      ...message,
      subject,
      messageId: `test-${id}@${config.messageIdDomain}`,
      idempotencyKey: `test:${id}`,
    });
  } catch (error) {
    console.error("[test-send] delivery failed", error);
    const retry = error instanceof TransientDeliveryError ? " Try again in a moment." : "";
    throw new AppError("conflict", `The test message could not be delivered.${retry}`);
  }
  return { to: user.email, subject };
}
