/**
 * The one Prisma client of the app. Prisma 6.19 runs its query engine in JS
 * here (engineType "client"), talking to PostgreSQL through @prisma/adapter-pg.
 */
import "server-only";
import { createPrismaClient, type Db } from "./prisma";

const globalForPrisma = globalThis as unknown as { stepwiseDb?: Db };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` or `npm run dev`, which start the embedded PostgreSQL, or set DATABASE_URL to your server.",
    );
  }
  return url;
}

/**
 * Connections per app process (DATABASE_POOL_SIZE, default 10). Size it to
 * the server: processes x pool size must stay under PostgreSQL's
 * max_connections, and a burst of requests beyond it waits for a connection.
 */
function poolSize(): number {
  const raw = process.env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw === "") return 10;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, not "${raw}".`);
  return size;
}

/** Lazily created so that importing this module never needs a database. */
export function getDb(): Db {
  // Reused across Next's hot reloads in development instead of leaking pools.
  globalForPrisma.stepwiseDb ??= createPrismaClient(databaseUrl(), { poolSize: poolSize() });
  return globalForPrisma.stepwiseDb;
}

/**
 * Swaps the app's client and returns the one it replaced (still connected):
 * tests and benchmarks point the app at their own database, or wrap it to
 * inject faults. Undefined makes the next getDb() connect to DATABASE_URL.
 */
export function replaceDb(next: Db | undefined): Db | undefined {
  const previous = globalForPrisma.stepwiseDb;
  globalForPrisma.stepwiseDb = next;
  return previous;
}

export type { Db, Tx } from "./prisma";
