import "server-only";
/**
 * Who a message is from: the sequence's sender, else the installation's
 * default sender, else the environment's (MAIL_FROM / MAIL_SENDER_NAME),
 * which is what every message used before senders existed. Real sends,
 * the builder's preview and "send a test" all resolve it here (the send's
 * claim reads the same row in its own statement: lib/sequences/run-step.ts).
 */
import type { Db, Tx } from "../db/prisma";
import { mailConfig } from "../email/config";
import { addressOf, formatFrom } from "./address";

export type SenderIdentity = {
  /** The From header: "Name <address>". */
  from: string;
  /** The name in the footer (CAN-SPAM) and the preview. */
  senderName: string;
  replyTo: string | null;
  /** The configured sender's id; null for the environment's. */
  senderId: string | null;
};

export type SenderRow = { id: string; fromName: string; fromAddress: string; replyTo: string | null };

/** The identity of a sender row, or of the environment when there is none. */
export function identityOf(row: SenderRow | null): SenderIdentity {
  if (!row) {
    const config = mailConfig();
    return { from: config.from, senderName: config.senderName, replyTo: null, senderId: null };
  }
  return { from: formatFrom(row.fromName, row.fromAddress), senderName: row.fromName, replyTo: row.replyTo, senderId: row.id };
}

/** The environment's sender as an address, for the senders page. */
export function environmentSender(): { from: string; address: string; senderName: string } {
  const config = mailConfig();
  return { from: config.from, address: addressOf(config.from), senderName: config.senderName };
}

/**
 * The sender row a sequence sends as (its own, else the default), or the
 * default's when `sequenceId` is null; null when neither exists.
 */
export async function sendingSenderRow(db: Db | Tx, sequenceId: string | null): Promise<SenderRow | null> {
  const [row] = sequenceId
    ? await db.$queryRaw<SenderRow[]>`
        SELECT snd."id", snd."fromName", snd."fromAddress", snd."replyTo"
        FROM "Sequence" s JOIN "Sender" snd ON snd."id" = COALESCE(s."senderId", (SELECT "id" FROM "Sender" WHERE "isDefault"))
        WHERE s."id" = ${sequenceId}`
    : await db.$queryRaw<SenderRow[]>`SELECT "id", "fromName", "fromAddress", "replyTo" FROM "Sender" WHERE "isDefault"`;
  return row ?? null;
}

/** Who `sequenceId`'s next message is from (the default's when null). */
export async function sendingIdentity(db: Db | Tx, sequenceId: string | null): Promise<SenderIdentity> {
  return identityOf(await sendingSenderRow(db, sequenceId));
}
