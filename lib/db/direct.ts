/**
 * One statement straight on a client's own pg pool, for the few statements
 * every email send runs (lib/sequences/run-step.ts, claim-step.ts). Prisma
 * spends more CPU on each raw statement than pg does (it serializes it to
 * its JSON protocol, compiles a query plan in WebAssembly and interprets
 * it): in the delivery benchmark that was ~20% of the CPU of a send.
 *
 * Only for a client made by createPrismaClient, outside a transaction;
 * anything else (a transaction client, a test's wrapped client) goes
 * through Prisma's $queryRaw / $executeRaw as before, so fault injection
 * keeps working. The statement is the same Prisma.sql template either way.
 */
import { createHash } from "node:crypto";
import type { Pool, QueryConfig } from "pg";
import type { Prisma } from "../generated/prisma/client";

type RawClient = { $queryRaw<T>(query: Prisma.Sql): Prisma.PrismaPromise<T>; $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number> };

const pools = new WeakMap<object, Pool>();

/** Called by createPrismaClient: `client` owns `pool` (shared with its adapter). */
export function registerPool(client: object, pool: Pool): void {
  pools.set(client, pool);
}

/**
 * As pg sends them, parameters are untyped text that PostgreSQL types from
 * where they are used. Dates go as UTC ISO strings: the columns are
 * `timestamp` without zone holding UTC, as Prisma writes them (pg's own
 * serialization would use the process's zone).
 */
function param(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

const names = new Map<string, string>();

/**
 * Each statement is prepared (named) on a connection the first time it runs
 * there, so PostgreSQL plans it once per connection, not at every call:
 * planning was a third of the database's time per send (the plan read alone
 * cost 0.7 ms to plan and 0.15 ms to run; docs/benchmarks.md, "Delivery
 * (4)"). PostgreSQL still compares its generic plan with custom ones for
 * the first few calls. The name derives from the text, so the few fixed
 * statements of the send path make a few prepared statements per connection.
 */
function prepared(query: Prisma.Sql): QueryConfig {
  let name = names.get(query.text);
  if (!name) {
    name = `stepwise_${createHash("sha1").update(query.text).digest("hex").slice(0, 20)}`;
    names.set(query.text, name);
  }
  return { name, text: query.text, values: query.values.map(param) };
}

/** Rows of one statement (as $queryRaw; columns must not be int8 or timestamps, which pg parses differently). */
export async function queryRows<T>(db: RawClient, query: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<T[]>(query);
  const { rows } = await pool.query(prepared(query));
  return rows as T[];
}

/** Rows changed by one statement (as $executeRaw). */
export async function execute(db: RawClient, query: Prisma.Sql): Promise<number> {
  const pool = pools.get(db);
  if (!pool) return db.$executeRaw(query);
  const { rowCount } = await pool.query(prepared(query));
  return rowCount ?? 0;
}
