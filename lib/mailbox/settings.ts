import "server-only";
/**
 * The connected mailbox's settings: stored with the secret encrypted, shown
 * without it, and tested by connecting.
 */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import type { Mailbox } from "../generated/prisma/client";
import type { TMailboxSettings } from "../validations/mailbox";
import { withImap, type ImapSettings } from "./imap-client";
import { describeImapError } from "./imap-errors";
import { decryptSecret, encryptSecret } from "./secret-box";

/** One mailbox per installation until sender identities exist. */
export const DEFAULT_MAILBOX_ID = "default";

const secretContext = (id: string) => `mailbox:${id}:secret`;

export type MailboxView = Omit<Mailbox, "secretEncrypted" | "uidValidity" | "lastSeenUid" | "leaseUntil"> & { hasSecret: boolean };

export async function getMailboxView(db: Db): Promise<MailboxView | null> {
  const row = await db.mailbox.findUnique({ where: { id: DEFAULT_MAILBOX_ID } });
  if (!row) return null;
  const { secretEncrypted, uidValidity: _v, lastSeenUid: _u, leaseUntil: _l, ...view } = row;
  return { ...view, hasSecret: secretEncrypted.length > 0 };
}

/**
 * Stores the settings. A blank secret keeps the stored one; a different
 * server, account or folder starts reading afresh (its UIDs are unrelated).
 */
export async function saveMailbox(db: Db, input: TMailboxSettings): Promise<MailboxView> {
  const id = DEFAULT_MAILBOX_ID;
  const existing = await db.mailbox.findUnique({ where: { id } });
  const secret = input.secret ?? "";
  if (!secret && !existing) throw new AppError("validation", "Please correct the highlighted fields.", { secret: ["Enter the password or access token"] });
  const fields = { host: input.host, port: input.port, tls: input.tls, username: input.username, authMethod: input.authMethod, folder: input.folder };
  const moved = existing && (existing.host !== input.host || existing.port !== input.port || existing.username !== input.username || existing.folder !== input.folder);
  const secretEncrypted = secret ? encryptSecret(secret, secretContext(id)) : existing!.secretEncrypted;
  await db.mailbox.upsert({
    where: { id },
    create: { id, ...fields, secretEncrypted },
    update: { ...fields, secretEncrypted, lastError: null, ...(moved ? { uidValidity: null, lastSeenUid: 0 } : {}) },
  });
  return (await getMailboxView(db))!;
}

export async function removeMailbox(db: Db): Promise<{ removed: boolean }> {
  const { count } = await db.mailbox.deleteMany({ where: { id: DEFAULT_MAILBOX_ID } });
  return { removed: count > 0 };
}

/** The connection settings with the secret decrypted, or the reason they cannot be used. */
export function imapSettingsOf(row: Mailbox): { ok: true; settings: ImapSettings } | { ok: false; error: string } {
  const secret = decryptSecret(row.secretEncrypted, secretContext(row.id));
  if (secret === null) {
    return { ok: false, error: "The stored password or token cannot be decrypted (the encryption key changed?). Enter it again." };
  }
  return {
    ok: true,
    settings: {
      host: row.host,
      port: row.port,
      tls: row.tls,
      username: row.username,
      auth: row.authMethod === "oauth2" ? { kind: "oauth2", accessToken: secret } : { kind: "password", password: secret },
    },
  };
}

export type ConnectionTest = { ok: true; folders: string[]; folder: string; messages: number } | { ok: false; error: string };

/** Connects with the stored settings and reports what it found, or what went wrong in words. */
export async function testMailboxConnection(db: Db): Promise<ConnectionTest> {
  const row = await db.mailbox.findUnique({ where: { id: DEFAULT_MAILBOX_ID } });
  if (!row) return { ok: false, error: "No mailbox is connected yet." };
  const settings = imapSettingsOf(row);
  if (!settings.ok) return settings;
  try {
    return await withImap(settings.settings, async (session) => {
      const folders = await session.folders();
      const state = await session.open(row.folder);
      return { ok: true as const, folders: folders.slice(0, 200), folder: row.folder, messages: state.messages };
    });
  } catch (error) {
    return { ok: false, error: describeImapError(error, row) };
  }
}
