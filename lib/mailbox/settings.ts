import "server-only";
/**
 * The connected mailbox's settings: stored with the secret encrypted, shown
 * without it, and tested by connecting.
 */
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import type { Mailbox } from "../generated/prisma/client";
import type { TMailboxSettings } from "../validations/mailbox";
import type { ImapSettings } from "./imap-client";
import { withMailboxSession } from "./oauth-refresh";
import { decryptSecret, encryptSecret } from "./secret-box";

/** One mailbox per installation until sender identities exist. */
export const DEFAULT_MAILBOX_ID = "default";

export const secretContext = (id: string) => `mailbox:${id}:secret`;

export type MailboxView = Omit<Mailbox, "secretEncrypted" | "oauthEncrypted" | "uidValidity" | "lastSeenUid" | "leaseUntil"> & { hasSecret: boolean; refreshes: boolean };

export async function getMailboxView(db: Db): Promise<MailboxView | null> {
  const row = await db.mailbox.findUnique({ where: { id: DEFAULT_MAILBOX_ID } });
  if (!row) return null;
  const { secretEncrypted, oauthEncrypted, uidValidity: _v, lastSeenUid: _u, leaseUntil: _l, ...view } = row;
  return { ...view, hasSecret: secretEncrypted.length > 0, refreshes: !!oauthEncrypted && !!row.oauthTokenUrl };
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
  const oauth = oauthFields(id, input, existing);
  // A new access token's expiry is unknown until the token endpoint gives one.
  const expiry = secret ? { accessTokenExpiresAt: null } : {};
  await db.mailbox.upsert({
    where: { id },
    create: { id, ...fields, secretEncrypted, ...oauth },
    update: { ...fields, secretEncrypted, ...oauth, ...expiry, lastError: null, ...(moved ? { uidValidity: null, lastSeenUid: 0 } : {}) },
  });
  return (await getMailboxView(db))!;
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
  // Refreshes an expired or refused OAuth2 token as a read does.
  const result = await withMailboxSession(db, row, async (session) => {
    const folders = await session.folders();
    const state = await session.open(row.folder);
    return { ok: true as const, folders: folders.slice(0, 200), folder: row.folder, messages: state.messages };
  });
  return result.ok ? result.value : result;
}
