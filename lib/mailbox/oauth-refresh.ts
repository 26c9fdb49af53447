import "server-only";
/**
 * OAuth2 access tokens for XOAUTH2 expire (about an hour at Gmail and
 * Microsoft 365). With a refresh token, token endpoint and client id stored
 * (settings.ts), a session gets a new access token from the endpoint (the
 * refresh_token grant, RFC 6749 section 6) shortly before the stored one
 * expires, or when the server refuses it (AUTHENTICATIONFAILED): at most
 * once per session, so a refused token never loops. The new token (and a
 * rotated refresh token) is stored encrypted.
 */
import type { Db } from "../db/prisma";
import type { Mailbox } from "../generated/prisma/client";
import { withImap, type ImapSession } from "./imap-client";
import { describeImapError } from "./imap-errors";
import { imapSettingsOf, oauthRefreshOf, sealRefreshed, type OAuthRefresh } from "./settings";

/** Refresh this long before the stored expiry: a read started just before it must not fail half-way. */
const EARLY_MS = 60_000;
const TIMEOUT_MS = 15_000;

type Token = { ok: true; accessToken: string; expiresAt: Date | null; refreshToken: string | null } | { ok: false; error: string };

/** The refresh_token grant against the token endpoint; failures in words. */
export async function requestAccessToken(refresh: OAuthRefresh): Promise<Token> {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh.refreshToken, client_id: refresh.clientId });
  if (refresh.clientSecret) body.set("client_secret", refresh.clientSecret);
  let response: Response;
  try {
    response = await fetch(refresh.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, error: `The OAuth2 token endpoint could not be reached: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}` };
  }
  const json = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown; error?: unknown; error_description?: unknown } | null;
  if (!response.ok || typeof json?.access_token !== "string" || json.access_token.length === 0) {
    const reason = [json?.error, json?.error_description].filter((v) => typeof v === "string").join(": ") || `HTTP ${response.status}`;
    return { ok: false, error: `The OAuth2 token endpoint refused to refresh the access token (${reason.slice(0, 200)}). Enter a new refresh token.` };
  }
  const seconds = Number(json.expires_in);
  return {
    ok: true,
    accessToken: json.access_token,
    expiresAt: Number.isFinite(seconds) && seconds > 0 ? new Date(Date.now() + seconds * 1000) : null,
    refreshToken: typeof json.refresh_token === "string" && json.refresh_token ? json.refresh_token : null,
  };
}

async function refreshAndStore(db: Db, row: Mailbox, refresh: OAuthRefresh): Promise<{ ok: true; row: Mailbox } | { ok: false; error: string }> {
  const token = await requestAccessToken(refresh);
  if (!token.ok) return token;
  const updated = await db.mailbox.update({
    where: { id: row.id },
    data: { ...sealRefreshed(row, refresh, token.accessToken, token.refreshToken), accessTokenExpiresAt: token.expiresAt },
  });
  return { ok: true, row: updated };
}

function refusedLogin(error: unknown): boolean {
  const e = (error ?? {}) as { authenticationFailed?: boolean; serverResponseCode?: string };
  return e.authenticationFailed === true || e.serverResponseCode === "AUTHENTICATIONFAILED";
}

/**
 * Runs `work` on an IMAP session for the mailbox, with the access token
 * refreshed first when it is about to expire, or once after the server
 * refused it. Failures come back in words.
 */
export async function withMailboxSession<T>(db: Db, row: Mailbox, work: (session: ImapSession) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const refresh = oauthRefreshOf(row);
  let current = row;
  let refreshed = false;
  if (refresh && current.accessTokenExpiresAt && current.accessTokenExpiresAt.getTime() - EARLY_MS <= Date.now()) {
    const result = await refreshAndStore(db, current, refresh);
    if (!result.ok) return result;
    current = result.row;
    refreshed = true;
  }
  for (;;) {
    const settings = imapSettingsOf(current);
    if (!settings.ok) return settings;
    try {
      return { ok: true, value: await withImap(settings.settings, work) };
    } catch (error) {
      if (!refresh || refreshed || !refusedLogin(error)) return { ok: false, error: describeImapError(error, current) };
      const result = await refreshAndStore(db, current, refresh);
      if (!result.ok) return result;
      current = result.row;
      refreshed = true;
    }
  }
}
