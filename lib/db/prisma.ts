/**
 * Builds Prisma clients. Separate from client.ts (which is server-only and
 * holds the app's singleton) so that tests and scripts can make their own.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { registerPool } from "./direct";
import { Prisma, PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;
/** A client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

/**
 * How long starting an interactive transaction may wait for a connection.
 * Prisma's default (2 s) fails a burst larger than the pool on a busy disk
 * (seen as P2028 in the delivery benchmark); waiting a little longer is
 * better than failing the step and retrying it.
 */
const TRANSACTION_MAX_WAIT_MS = 10_000;

export function createPrismaClient(url: string, options: { poolSize?: number } = {}): Db {
  // The pool is ours so that the send path's statements can use it directly (./direct.ts).
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // A connection that breaks while idle fails the next statement that needs one; it must not crash the process.
  pool.on("error", () => {});
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS } });
  registerPool(client, pool);
  return client;
}

/** True when `error` is a unique-constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export { Prisma };
