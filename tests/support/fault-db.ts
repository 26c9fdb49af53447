/**
 * Fault injection and bookkeeping around a Prisma client, for the fault
 * suite: a proxy that can delay or fail the queries of interactive
 * transactions and report when they start and commit, and a fingerprint of
 * the data to prove that a refused request wrote nothing.
 */
import type { Db } from "../../lib/db/prisma";

/**
 * What one transaction has done so far (its SQL, for raw queries), and when
 * it started (performance.now()). A raw statement run on the client outside
 * any transaction is a transaction of its own (autocommit), with one statement.
 */
export type TxContext = { statements: string[]; startedAt: number };

export type DbHooks = {
  /** Before each query inside an interactive transaction, or a raw statement of its own: await to delay it, throw to fail it. */
  beforeQuery?: (ctx: TxContext, statement: string) => Promise<void> | void;
  /**
   * Just before an interactive transaction is started (before BEGIN is sent:
   * no statements yet), or a raw statement of its own is sent (its one statement).
   */
  onTransactionStart?: (ctx: TxContext) => void;
  /** Right after an interactive transaction (or a raw statement of its own) committed: throwing here is a crash after the commit. */
  onTransactionCommitted?: (ctx: TxContext) => void;
  /** Before a batch (array) transaction is sent: throwing here fails it before it reaches the database. */
  beforeBatch?: () => Promise<void> | void;
};

const RAW_METHODS = new Set(["$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe"]);

function statementOf(method: string, args: unknown[]): string {
  const first = args[0] as { sql?: string; strings?: string[] } | readonly string[] | string | undefined;
  if (typeof first === "string") return first;
  if (Array.isArray(first)) return first.join("?");
  if (first && typeof first === "object" && "sql" in first && typeof first.sql === "string") return first.sql;
  return method;
}

function instrumentTx(tx: object, ctx: TxContext, hooks: DbHooks): object {
  const before = async (statement: string) => {
    ctx.statements.push(statement);
    await hooks.beforeQuery?.(ctx, statement);
  };
  return new Proxy(tx, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof prop === "string" && RAW_METHODS.has(prop) && typeof value === "function") {
        return async (...args: unknown[]) => {
          await before(statementOf(prop, args));
          return value.apply(target, args);
        };
      }
      if (typeof prop === "string" && !prop.startsWith("$") && value && typeof value === "object") {
        // A model delegate (tx.contact.update...).
        return new Proxy(value, {
          get(delegate, method) {
            const fn = Reflect.get(delegate, method, delegate) as unknown;
            if (typeof fn !== "function") return fn;
            return async (...args: unknown[]) => {
              await before(`${prop}.${String(method)}`);
              return fn.apply(delegate, args);
            };
          },
        });
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * A raw statement on the client itself, with the hooks of a one-statement
 * transaction (lib/db/direct.ts runs the send path's single statements so,
 * each its own transaction). Prisma's raw queries are lazy: the statement
 * is sent, and the hooks run, when it is awaited; put in a batch
 * (`$transaction([...])`) it is the batch's, which has beforeBatch.
 */
function autocommitted(query: object, statement: string, hooks: DbHooks): object {
  let sent: Promise<unknown> | undefined;
  const send = async () => {
    const ctx: TxContext = { statements: [statement], startedAt: performance.now() };
    hooks.onTransactionStart?.(ctx);
    await hooks.beforeQuery?.(ctx, statement);
    const result: unknown = await (query as PromiseLike<unknown>);
    hooks.onTransactionCommitted?.(ctx);
    return result;
  };
  return new Proxy(query, {
    get(target, prop) {
      if (prop === "then" || prop === "catch" || prop === "finally") {
        return (...args: never[]) => {
          sent ??= send();
          return (sent[prop] as (...a: never[]) => unknown).apply(sent, args);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * `db` with hooks around its transactions, and around raw statements run
 * outside one (each its own transaction). Everything else passes through,
 * so the product code runs unchanged against the real database.
 */
export function instrumentDb(db: Db, hooks: DbHooks): Db {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof prop === "string" && RAW_METHODS.has(prop) && typeof value === "function") {
        return (...args: unknown[]) => autocommitted(value.apply(target, args) as object, statementOf(prop, args), hooks);
      }
      if (prop === "$transaction") {
        return async (arg: unknown, options?: unknown) => {
          if (typeof arg === "function") {
            const ctx: TxContext = { statements: [], startedAt: performance.now() };
            hooks.onTransactionStart?.(ctx);
            const result = await target.$transaction((tx) => (arg as (tx: object) => Promise<unknown>)(instrumentTx(tx, ctx, hooks)), options as never);
            hooks.onTransactionCommitted?.(ctx);
            return result;
          }
          await hooks.beforeBatch?.();
          return target.$transaction(arg as never, options as never);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Db;
}

/** The claim's SQL (lib/sequences/claim-step.ts): both ways of claiming insert the send record. */
export const CLAIM_INSERT = 'INSERT INTO "StepSend"';

/**
 * Whether a transaction starting on sendStep's client is an attempt to
 * claim the send: the one-statement claim (it inserts the send record), or
 * claimStep's interactive transaction (the only one on the send path).
 * What comes after a claim (the tracked links, marking the send) is not.
 */
export function startsClaim(ctx: TxContext): boolean {
  return ctx.statements.length === 0 || ctx.statements[0].includes(CLAIM_INSERT);
}

/** An error shaped like the one node-postgres raises when the server goes away. */
export function connectionLost(where: string): Error {
  return Object.assign(new Error(`Connection terminated unexpectedly (simulated: ${where})`), { code: "ECONNRESET" });
}

/** Every table the app writes, except the ones a refused request may legitimately touch. */
const FINGERPRINTED_TABLES = [
  "Contact", "Tag", "ContactTag", "Sequence", "SequenceStep", "SequenceTrigger", "Enrollment", "EnrollmentEvent",
  "StepSend", "SkippedStep", "CaughtMessage", "ConsentEvent", "InboundReply", "User", "ApiKey", "Mailbox", "Sender", "PendingSignup", "SequenceDaySends", "SendPace",
  "SequenceVersion", "TrackedLink", "TrackingEvent", "SendEngagement", "EngagementCounter", "EngagementTotal", "AuditEvent", "UserToken",
  "WebhookEndpoint", "WebhookEvent", "WebhookDelivery", "WebhookAttempt", "StepTemplate", "Snippet",
  // RateLimit is left out on purpose: counting attempts, refused ones included, is its job.
  // So is WebhookReplay: it remembers every verified signature, whatever the body turns out to be.
];

/** The rows a table is fingerprinted by, where not all of them. */
const FINGERPRINT_QUERY: Record<string, string> = {
  // lastUsedAt is bookkeeping of a successful authentication, not data.
  ApiKey: `SELECT "id", "name", "prefix", "hash", "createdById", "createdAt", "revokedAt" FROM "ApiKey"`,
};

/**
 * Per table, its row count and two sums of 64-bit hashes of every row (each
 * with another seed), in one round trip: equal fingerprints before and after
 * a request mean it wrote nothing. A row's hash covers all its columns
 * (hash_record_extended hashes each with its type's own hash, so equal
 * values, as = sees them, hash alike: the schema has no float or decimal
 * column whose equal values could differ in print). Sums need no sort and
 * no row printed as text: md5 over the sorted rows as text cost three to
 * four times as much, and the hostile-input files take thousands of these.
 */
export async function dataFingerprint(db: Db): Promise<Record<string, string>> {
  const columns = FINGERPRINTED_TABLES.map((table) => {
    const query = FINGERPRINT_QUERY[table] ?? `SELECT * FROM "${table}"`;
    // hash_record_extended combines its columns' hashes linearly (h * 31 + next), so a sum of it would not
    // see two rows swap a column's values: hashing it again (hashint8extended mixes its bits) makes each
    // row's contribution depend on the whole row.
    const sum = (seed: number) => `coalesce(sum(hashint8extended(hash_record_extended(t, ${seed}), ${seed})::numeric), 0)`;
    return `(SELECT count(*) || ':' || ${sum(0)} || ':' || ${sum(1)} FROM (${query}) t) AS "${table}"`;
  });
  const [row] = await db.$queryRawUnsafe<Record<string, string>[]>(`SELECT ${columns.join(", ")}`);
  return row;
}
