/**
 * XOAUTH2 with refresh, against real servers: dovecot accepts XOAUTH2
 * tokens it checks at an introspection URL (RFC 7662), and a token endpoint
 * on loopback (node http) hands out access tokens for the refresh token.
 * The reader refreshes a token that expired or that the server refused, at
 * most once per read, and stores the new one encrypted.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readMailbox } from "../../lib/mailbox/read-mailbox";
import { decryptSecret } from "../../lib/mailbox/secret-box";
import { saveMailbox, testMailboxConnection } from "../../lib/mailbox/settings";
import { resetDb, testDb } from "../support/db";
import { startDovecot, type Dovecot } from "../support/dovecot";

process.env.STEPWISE_SIGNING_SECRET ??= "mailbox-oauth-signing-secret-0123";

const db = testDb();
let imap: Dovecot;
let server: http.Server;
let base: string;

/** The identity provider's state: which access tokens are live, what the token endpoint was asked. */
const idp = {
  live: new Set<string>(),
  refreshToken: "refresh-1",
  /** Set: the next grant also rotates the refresh token to this. */
  rotateTo: null as string | null,
  refuse: false,
  grants: [] as Record<string, string>[],
  introspected: [] as string[],
  issued: 0,
};

async function form(req: http.IncomingMessage): Promise<Record<string, string>> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const fields = await form(req);
    res.setHeader("content-type", "application/json");
    if (req.url === "/introspect") {
      idp.introspected.push(fields.token);
      res.end(JSON.stringify(idp.live.has(fields.token) ? { active: true, username: imap.user } : { active: false }));
      return;
    }
    if (req.url === "/token") {
      idp.grants.push(fields);
      const valid = fields.grant_type === "refresh_token" && fields.refresh_token === idp.refreshToken && fields.client_id === "stepwise-client" && fields.client_secret === "client-secret";
      if (idp.refuse || !valid) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: "invalid_grant", error_description: "Token has been expired or revoked." }));
        return;
      }
      const accessToken = `access-${++idp.issued}`;
      idp.live.add(accessToken);
      const rotated = idp.rotateTo;
      if (rotated) idp.refreshToken = rotated;
      idp.rotateTo = null;
      res.end(JSON.stringify({ access_token: accessToken, token_type: "Bearer", expires_in: 3600, ...(rotated ? { refresh_token: rotated } : {}) }));
      return;
    }
    res.statusCode = 404;
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  imap = await startDovecot({ oauth2IntrospectionUrl: `${base}/introspect` });
}, 60_000);
afterAll(async () => {
  await imap?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  await resetDb();
  await db.mailbox.deleteMany();
  Object.assign(idp, { live: new Set<string>(), refreshToken: "refresh-1", rotateTo: null, refuse: false, grants: [], introspected: [], issued: 0 });
});

let mailboxId: string;

async function connect(accessToken: string) {
  ({ id: mailboxId } = await saveMailbox(db, {
    senderId: null,
    host: imap.host,
    port: imap.port,
    tls: false,
    username: imap.user,
    authMethod: "oauth2",
    secret: accessToken,
    folder: "INBOX",
    oauthTokenUrl: `${base}/token`,
    oauthClientId: "stepwise-client",
    oauthClientSecret: "client-secret",
    oauthRefreshToken: "refresh-1",
  }));
}

const storedToken = async () => decryptSecret((await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).secretEncrypted, `mailbox:${mailboxId}:secret`);

describe("XOAUTH2 against dovecot", { timeout: 60_000 }, () => {
  it("a live access token logs in without refreshing", async () => {
    idp.live.add("access-given");
    await connect("access-given");
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read" });
    expect(idp.grants).toHaveLength(0);
    expect(idp.introspected).toContain("access-given");
  });

  it("a token the server refuses is refreshed once, the read succeeds, and the new token is stored encrypted", async () => {
    await connect("access-stale");
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read" });
    expect(idp.grants).toHaveLength(1);
    expect(idp.grants[0]).toMatchObject({ grant_type: "refresh_token", refresh_token: "refresh-1", client_id: "stepwise-client" });
    expect(await storedToken()).toBe("access-1");
    const row = await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
    expect(row.secretEncrypted).not.toContain("access-1");
    expect(row.oauthEncrypted).not.toContain("refresh-1");
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(row.lastError).toBeNull();

    // The stored token is used next time: no refresh.
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read" });
    expect(idp.grants).toHaveLength(1);
  });

  it("a token past its expiry is refreshed before connecting", async () => {
    idp.live.add("access-old");
    await connect("access-old");
    await db.mailbox.update({ where: { id: mailboxId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read" });
    expect(idp.grants).toHaveLength(1);
    expect(idp.introspected).not.toContain("access-old");
    expect(await storedToken()).toBe("access-1");
  });

  it("a rotated refresh token is stored and used for the next refresh", async () => {
    idp.rotateTo = "refresh-2";
    await connect("access-stale");
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read" });
    idp.live.clear();
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "read" });
    expect(idp.grants.map((g) => g.refresh_token)).toEqual(["refresh-1", "refresh-2"]);
    expect(await storedToken()).toBe("access-2");
  });

  it("a refused refresh fails the read in words, once, without a loop", async () => {
    idp.refuse = true;
    await connect("access-stale");
    const result = await readMailbox(db, { mailboxId });
    expect(result).toMatchObject({ outcome: "failed" });
    expect((result as { error: string }).error).toMatch(/token endpoint refused to refresh the access token \(invalid_grant/);
    expect(idp.grants).toHaveLength(1);
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: mailboxId } })).toMatchObject({ lastError: (result as { error: string }).error });
    expect(await storedToken()).toBe("access-stale");
  });

  it("a new token the server refuses too: one refresh, then the login error in words", async () => {
    await connect("access-stale");
    // The endpoint hands out tokens the server never accepts.
    const add = idp.live.add.bind(idp.live);
    idp.live.add = () => idp.live;
    try {
      const result = await readMailbox(db, { mailboxId });
      expect(result).toMatchObject({ outcome: "failed", error: expect.stringMatching(/refused the user name or password \(or token\)/) });
      expect(idp.grants).toHaveLength(1);
    } finally {
      idp.live.add = add;
    }
  });

  it("Test connection refreshes too", async () => {
    await connect("access-stale");
    expect(await testMailboxConnection(db, { senderId: null })).toMatchObject({ ok: true, folder: "INBOX" });
    expect(idp.grants).toHaveLength(1);
  });

  it("without refresh settings a refused token is the login error, and nothing is asked of the endpoint", async () => {
    ({ id: mailboxId } = await saveMailbox(db, { senderId: null, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "oauth2", secret: "access-stale", folder: "INBOX" }));
    expect(await readMailbox(db, { mailboxId })).toMatchObject({ outcome: "failed", error: expect.stringMatching(/refused/) });
    expect(idp.grants).toHaveLength(0);
  });

  it("refresh settings need a client id and a refresh token", async () => {
    await expect(
      saveMailbox(db, { senderId: null, host: imap.host, port: imap.port, tls: false, username: imap.user, authMethod: "oauth2", secret: "x", folder: "INBOX", oauthTokenUrl: `${base}/token` }),
    ).rejects.toMatchObject({ code: "validation", fieldErrors: { oauthClientId: ["Enter the OAuth2 client id"], oauthRefreshToken: ["Enter the refresh token"] } });
  });
});
