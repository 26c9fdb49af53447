/**
 * The one module that speaks IMAP (imapflow). Everything else sees plain
 * objects: folders, a folder's state, raw messages by UID.
 */
import { ImapFlow } from "imapflow";

export type ImapSettings = {
  host: string;
  port: number;
  /** Implicit TLS; otherwise STARTTLS when the server offers it. */
  tls: boolean;
  username: string;
  auth: { kind: "password"; password: string } | { kind: "oauth2"; accessToken: string };
};

export type FolderState = { uidValidity: bigint; uidNext: number; messages: number };
/** A message as first read: its UID and its header block (with the empty line that ends it). */
export type MessageHead = { uid: number; header: Buffer };

/** Short enough that a dead server fails a read (or the settings page's test) quickly. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

export async function withImap<T>(settings: ImapSettings, work: (session: ImapSession) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.tls,
    auth:
      settings.auth.kind === "password"
        ? { user: settings.username, pass: settings.auth.password }
        : { user: settings.username, accessToken: settings.auth.accessToken },
    logger: false,
    disableAutoIdle: true,
    ...TIMEOUTS,
  });
  // imapflow reports a dropped socket as an event as well as a failed command.
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(new ImapSession(client));
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export class ImapSession {
  constructor(private readonly client: ImapFlow) {}

  async folders(): Promise<string[]> {
    return (await this.client.list()).map((folder) => folder.path);
  }

  /** Selects the folder (read-only: reading marks nothing as seen) and returns its state. */
  async open(folder: string): Promise<FolderState> {
    const box = await this.client.mailboxOpen(folder, { readOnly: true });
    return { uidValidity: BigInt(box.uidValidity), uidNext: box.uidNext, messages: box.exists };
  }

  /** The server offers IDLE (RFC 2177): it can tell us when mail arrives. */
  offersIdle(): boolean {
    return this.client.capabilities.has("IDLE");
  }

  /**
   * Waits in IDLE on the open folder until a message arrives (true) or `ms`
   * pass or the connection ends (false). IDLE ends when the next command is
   * sent (imapflow sends DONE first), so a NOOP ends it here.
   */
  async waitForNewMail(ms: number): Promise<boolean> {
    if (ms <= 0 || !this.offersIdle()) return false;
    let settle!: (arrived: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (settle = resolve));
    const onExists = (e: { count: number; prevCount: number }) => e.count > e.prevCount && settle(true);
    const onClose = () => settle(false);
    const timer = setTimeout(() => settle(false), ms);
    this.client.on("exists", onExists);
    this.client.once("close", onClose);
    const idling = this.client.idle().then(
      () => settle(false),
      () => settle(false),
    );
    try {
      return await outcome;
    } finally {
      clearTimeout(timer);
      this.client.off("exists", onExists);
      this.client.off("close", onClose);
      if (this.client.usable) await this.client.noop().catch(() => {});
      await idling;
    }
  }

  /** UIDs above `afterUid` in the open folder, ascending. */
  async uidsAfter(afterUid: number): Promise<number[]> {
    const found = await this.client.search({ uid: `${afterUid + 1}:*` }, { uid: true });
    // "n:*" always matches the highest message, even below n (RFC 3501 6.4.8).
    return (found || []).filter((uid) => uid > afterUid).sort((a, b) => a - b);
  }

  /**
   * The header blocks of the messages with UIDs first..last, in one FETCH
   * (BODY.PEEK[HEADER]): all a reply needs to be recognised and recorded.
   * Most of an inbox is none of ours, and its bodies (HTML newsletters,
   * attachments) are not worth downloading to find that out.
   */
  async fetchHeaders(first: number, last: number): Promise<MessageHead[]> {
    // BODY.PEEK[HEADER]<0.MAX_HEADER>: a hostile message's huge header block is cut, as its source is.
    const messages = await this.client.fetchAll(`${first}:${last}`, { uid: true, bodyParts: [{ key: "header", maxLength: MAX_HEADER }] }, { uid: true });
    return messages.filter((m) => m.headers).map((m) => ({ uid: m.uid, header: m.headers! })).sort((a, b) => a.uid - b.uid);
  }

  /**
   * These messages' first MAX_SOURCE bytes, in one FETCH: for the few whose
   * body matters (a delivery report's status part follows its text part).
   * A message expunged meanwhile is missing from the map.
   */
  async fetchSources(uids: number[]): Promise<Map<number, Buffer>> {
    if (uids.length === 0) return new Map();
    const messages = await this.client.fetchAll(uids.join(","), { uid: true, source: { maxLength: MAX_SOURCE } }, { uid: true });
    return new Map(messages.filter((m) => m.source).map((m) => [m.uid, m.source!]));
  }
}

const MAX_SOURCE = 256 * 1024;
/** Real header blocks are a few KB; Received chains of a long relay path stay well under this. */
const MAX_HEADER = 64 * 1024;
