import "server-only";
/**
 * The connected mailboxes' settings, one per sender identity (and the one
 * from before senders, without a sender): stored with the secret
 * encrypted, shown without it, and tested by connecting.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import type { Mailbox } from "../generated/prisma/client";
import type { TMailboxSettings, TMailboxTarget } from "../validations/mailbox";
import type { ImapSettings } from "./imap-client";
import { withMailboxSession } from "./oauth-refresh";
import { decryptSecret, encryptSecret } from "./secret-box";

/** Secrets are sealed with the row's id, which never changes (the mailbox from before senders keeps "default"). */
export const secretContext = (id: string) => `mailbox:${id}:secret`;

export type MailboxView = Omit<Mailbox, "secretEncrypted" | "oauthEncrypted" | "uidValidity" | "lastSeenUid" | "leaseUntil"> & { hasSecret: boolean; refreshes: boolean };

/** A sender (or "no sender") and its mailbox, if one is connected. */
export type MailboxEntry = { senderId: string | null; label: string; isDefault: boolean; mailbox: MailboxView | null };

function viewOf(row: Mailbox): MailboxView {
  const { secretEncrypted, oauthEncrypted, uidValidity: _v, lastSeenUid: _u, leaseUntil: _l, ...view } = row;
  return { ...view, hasSecret: secretEncrypted.length > 0, refreshes: !!oauthEncrypted && !!row.oauthTokenUrl };
}

/** The mailbox of a sender (null: the mailbox without a sender). */
export function findMailbox(db: Db, senderId: string | null): Promise<Mailbox | null> {
  return db.mailbox.findFirst({ where: { senderId } });
}

/**
 * Every sender with its mailbox (the default sender first, then by name),
 * and the mailbox without a sender when there is one, or when there are no
 * senders yet (the installation's mailbox, as before senders existed).
 */
export async function listMailboxes(db: Db): Promise<MailboxEntry[]> {
  const [senders, rows] = await Promise.all([
    db.sender.findMany({ orderBy: [{ isDefault: "desc" }, { fromName: "asc" }, { fromAddress: "asc" }], select: { id: true, fromName: true, fromAddress: true, isDefault: true } }),
    db.mailbox.findMany(),
  ]);
  const bySender = new Map(rows.map((row) => [row.senderId, row]));
  const entries: MailboxEntry[] = senders.map((s) => {
    const row = bySender.get(s.id);
    return { senderId: s.id, label: `${s.fromName} <${s.fromAddress}>`, isDefault: s.isDefault, mailbox: row ? viewOf(row) : null };
  });
  const unattached = bySender.get(null);
  if (unattached || senders.length === 0) entries.push({ senderId: null, label: "No sender (the installation's mailbox)", isDefault: false, mailbox: unattached ? viewOf(unattached) : null });
  return entries;
}

/**
 * Stores a sender's mailbox settings. A blank secret keeps the stored one;
 * a different server, account or folder starts reading afresh (its UIDs
 * are unrelated).
 */
export async function saveMailbox(db: Db, input: TMailboxSettings): Promise<MailboxView> {
  const { senderId } = input;
  if (senderId && !(await db.sender.findUnique({ where: { id: senderId }, select: { id: true } }))) {
    throw new AppError("not_found", "That sender no longer exists.");
  }
  const existing = await findMailbox(db, senderId);
  const id = existing?.id ?? randomUUID();
  const secret = input.secret ?? "";
  if (!secret && !existing) throw new AppError("validation", "Please correct the highlighted fields.", { secret: ["Enter the password or access token"] });
  const fields = { host: input.host, port: input.port, tls: input.tls, username: input.username, authMethod: input.authMethod, folder: input.folder };
  const moved = existing && (existing.host !== input.host || existing.port !== input.port || existing.username !== input.username || existing.folder !== input.folder);
  const secretEncrypted = secret ? encryptSecret(secret, secretContext(id)) : existing!.secretEncrypted;
  const oauth = oauthFields(id, input, existing);
  // A new access token's expiry is unknown until the token endpoint gives one.
  const expiry = secret ? { accessTokenExpiresAt: null } : {};
  const row = existing
    ? await db.mailbox.update({ where: { id }, data: { ...fields, secretEncrypted, ...oauth, ...expiry, lastError: null, ...(moved ? { uidValidity: null, lastSeenUid: 0 } : {}) } })
    : await db.mailbox.create({ data: { id, senderId, ...fields, secretEncrypted, ...oauth } });
  return viewOf(row);
}

/**
 * The OAuth2 refresh settings to store: off for a password, or without a
 * token endpoint; blank secrets keep the stored ones.
 */
function oauthFields(id: string, input: TMailboxSettings, existing: Mailbox | null) {
  const off = { oauthTokenUrl: null, oauthClientId: null, oauthEncrypted: null };
  if (input.authMethod !== "oauth2" || !input.oauthTokenUrl) return off;
  const stored = existing?.oauthEncrypted ? readOAuthSecrets(existing) : null;
  const refreshToken = input.oauthRefreshToken || stored?.refreshToken || "";
  const clientSecret = input.oauthClientSecret || stored?.clientSecret || "";
  const errors: Record<string, string[]> = {};
  if (!input.oauthClientId) errors.oauthClientId = ["Enter the OAuth2 client id"];
  if (!refreshToken) errors.oauthRefreshToken = ["Enter the refresh token"];
  if (Object.keys(errors).length > 0) throw new AppError("validation", "Please correct the highlighted fields.", errors);
  return {
    oauthTokenUrl: input.oauthTokenUrl,
    oauthClientId: input.oauthClientId!,
    oauthEncrypted: encryptSecret(JSON.stringify({ refreshToken, clientSecret }), oauthContext(id)),
  };
}

const oauthContext = (id: string) => `mailbox:${id}:oauth`;

export type OAuthRefresh = { tokenUrl: string; clientId: string; refreshToken: string; clientSecret: string };

function readOAuthSecrets(row: Mailbox): { refreshToken: string; clientSecret: string } | null {
  const plain = row.oauthEncrypted ? decryptSecret(row.oauthEncrypted, oauthContext(row.id)) : null;
  if (!plain) return null;
  const parsed = JSON.parse(plain) as { refreshToken?: unknown; clientSecret?: unknown };
  return typeof parsed.refreshToken === "string" ? { refreshToken: parsed.refreshToken, clientSecret: typeof parsed.clientSecret === "string" ? parsed.clientSecret : "" } : null;
}

/** The mailbox's OAuth2 refresh settings, decrypted, or null when it has none (or they cannot be decrypted). */
export function oauthRefreshOf(row: Mailbox): OAuthRefresh | null {
  if (row.authMethod !== "oauth2" || !row.oauthTokenUrl || !row.oauthClientId) return null;
  const secrets = readOAuthSecrets(row);
  return secrets ? { tokenUrl: row.oauthTokenUrl, clientId: row.oauthClientId, ...secrets } : null;
}

/** Seals a refreshed access token (and a rotated refresh token) for storage. */
export function sealRefreshed(row: Mailbox, refresh: OAuthRefresh, accessToken: string, rotatedRefreshToken: string | null) {
  return {
    secretEncrypted: encryptSecret(accessToken, secretContext(row.id)),
    ...(rotatedRefreshToken ? { oauthEncrypted: encryptSecret(JSON.stringify({ refreshToken: rotatedRefreshToken, clientSecret: refresh.clientSecret }), oauthContext(row.id)) } : {}),
  };
}

/** Disconnects a sender's mailbox: its settings and stored secrets are deleted. */
export async function removeMailbox(db: Db, target: TMailboxTarget): Promise<{ removed: boolean }> {
  const { count } = await db.mailbox.deleteMany({ where: { senderId: target.senderId } });
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

/** Connects with a sender's stored mailbox settings and reports what it found, or what went wrong in words. */
export async function testMailboxConnection(db: Db, target: TMailboxTarget): Promise<ConnectionTest> {
  const row = await findMailbox(db, target.senderId);
  if (!row) return { ok: false, error: "No mailbox is connected for this sender yet." };
  // Refreshes an expired or refused OAuth2 token as a read does.
  const result = await withMailboxSession(db, row, async (session) => {
    const folders = await session.folders();
    const state = await session.open(row.folder);
    return { ok: true as const, folders: folders.slice(0, 200), folder: row.folder, messages: state.messages };
  });
  return result.ok ? result.value : result;
}
