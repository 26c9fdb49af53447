import "server-only";
/**
 * Adding, editing, deleting sender identities and choosing the default.
 * Admin-only at the boundary (lib/actions/settings/*-sender-action.ts).
 */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { parseOrThrow } from "../validations/parse";
import { ZSenderFields, ZSenderRef, ZSetDefaultSender, ZUpdateSender, type TSenderFieldsInput } from "../validations/sender";

type By = { userId: string | null };

/** Adds a sender (never the default: choosing it is its own step). */
export async function createSender(db: Db, by: By, input: TSenderFieldsInput): Promise<{ id: string }> {
  const fields = parseOrThrow(ZSenderFields, input);
  return db.sender.create({ data: { ...fields, createdById: by.userId, updatedById: by.userId }, select: { id: true } });
}

/** Changes a sender's name and addresses; sequences using it send as the new values from their next step. */
export async function updateSender(db: Db, by: By, input: TSenderFieldsInput & { senderId: string }): Promise<{ id: string }> {
  const { senderId, ...fields } = parseOrThrow(ZUpdateSender, input);
  const { count } = await db.sender.updateMany({ where: { id: senderId }, data: { ...fields, updatedById: by.userId } });
  if (count === 0) throw new AppError("not_found", "That sender no longer exists.");
  return { id: senderId };
}

/**
 * Deletes a sender no sequence uses (archived ones included: they keep
 * their history), that is not the default and has no connected mailbox. The row is locked first, so
 * a sequence picking it meanwhile either is seen here (refused) or fails
 * its foreign key after the delete (lib/sequences/sequence-mutations.ts).
 */
export async function deleteSender(db: Db, input: { senderId: string }): Promise<{ deleted: true }> {
  const { senderId } = parseOrThrow(ZSenderRef, input);
  return db.$transaction(async (tx) => {
    const [sender] = await tx.$queryRaw<{ isDefault: boolean }[]>`SELECT "isDefault" FROM "Sender" WHERE "id" = ${senderId} FOR UPDATE`;
    if (!sender) throw new AppError("not_found", "That sender no longer exists.");
    if (sender.isDefault) {
      throw new AppError("conflict", "This is the default sender: sequences without a sender of their own send as it. Make another sender (or the environment's) the default first.");
    }
    const users = await tx.sequence.findMany({ where: { senderId }, orderBy: { name: "asc" }, select: { name: true, status: true } });
    if (users.length > 0) {
      const names = users.map((s) => `"${s.name}"${s.status === "archived" ? " (archived)" : ""}`).join(", ");
      throw new AppError("conflict", `This sender is used by ${users.length === 1 ? "a sequence" : `${users.length} sequences`}: ${names}. Pick another sender in ${users.length === 1 ? "its" : "their"} settings first.`);
    }
    // Its mailbox would stop being read without anyone deciding it (the foreign key restricts too).
    if ((await tx.mailbox.count({ where: { senderId } })) > 0) {
      throw new AppError("conflict", "This sender has a connected mailbox (Settings → Mailboxes for replies and bounces): disconnect it first.");
    }
    await tx.sender.delete({ where: { id: senderId } });
    return { deleted: true as const };
  });
}

/** One "set default" at a time; the partial unique index (sender_one_default) is the guarantee behind it. */
const DEFAULT_LOCK = 0x5e_4d_e7;

/**
 * Makes a sender the installation's default (null: the environment's sender
 * again). Sequences without a sender of their own send as it from their
 * next step.
 */
export async function setDefaultSender(db: Db, input: { senderId: string | null }): Promise<{ senderId: string | null }> {
  const { senderId } = parseOrThrow(ZSetDefaultSender, input);
  return db.$transaction(async (tx) => {
    // Concurrent calls queue here; each then reads the committed state, so
    // none trips over the unique index and the last one wins.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEFAULT_LOCK}::int)`;
    if (senderId && !(await tx.sender.findUnique({ where: { id: senderId }, select: { id: true } }))) {
      throw new AppError("not_found", "That sender no longer exists.");
    }
    await tx.sender.updateMany({ where: { isDefault: true, ...(senderId ? { id: { not: senderId } } : {}) }, data: { isDefault: false } });
    if (senderId) await tx.sender.update({ where: { id: senderId }, data: { isDefault: true } });
    return { senderId };
  });
}
