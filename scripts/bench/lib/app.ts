/**
 * Points the app's own modules (getDb, the route handlers) at a benchmark
 * database, in this process, the way tests/support/run-harness.ts does.
 */
import { replaceDb } from "../../../lib/db/client";
import { createPrismaClient, type Db } from "../../../lib/db/prisma";

/** Installs a client on `url` as the app's (getDb's), with this pool size. */
export async function useAppDatabase(url: string, poolSize = 10): Promise<Db> {
  await releaseAppDatabase();
  process.env.DATABASE_URL = url;
  const db = createPrismaClient(url, { poolSize });
  replaceDb(db);
  return db;
}

export async function releaseAppDatabase(): Promise<void> {
  await replaceDb(undefined)?.$disconnect();
}
