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
import type { Pool } from "pg";
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

/** Rows of one statement (as $queryRaw; columns must not be int8 or timestamps, which pg parses differently). */
export async function queryRows<T>(db: RawClient, query: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<T[]>(query);
  const { rows } = await pool.query(query.text, query.values.map(param));
  return rows as T[];
}

/** Rows changed by one statement (as $executeRaw). */
export async function execute(db: RawClient, query: Prisma.Sql): Promise<number> {
  const pool = pools.get(db);
  if (!pool) return db.$executeRaw(query);
  const { rowCount } = await pool.query(query.text, query.values.map(param));
  return rowCount ?? 0;
}
