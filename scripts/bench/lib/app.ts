/**
 * Points the app's own modules (getDb, the route handlers) at a benchmark
 * database, in this process, the way tests/support/run-harness.ts does.
 */
import { createPrismaClient, type Db } from "../../../lib/db/prisma";

const appGlobal = globalThis as unknown as { stepwiseDb?: Db };

/** What the app needs from its environment to run in-process. */
export function configureAppEnv(): void {
  process.env.INNGEST_DEV ??= "1";
  process.env.APP_URL ??= "http://localhost:3000";
  process.env.STEPWISE_SIGNING_SECRET ??= "bench-signing-secret-0123456789";
}

/**
 * getDb() (lib/db/client.ts) keeps its client in this global: installing one
 * here is how the app's route handlers get this database and pool size.
 */
export async function useAppDatabase(url: string, poolSize = 10): Promise<Db> {
  await releaseAppDatabase();
  process.env.DATABASE_URL = url;
  appGlobal.stepwiseDb = createPrismaClient(url, { poolSize });
  return appGlobal.stepwiseDb;
}

export async function releaseAppDatabase(): Promise<void> {
  const db = appGlobal.stepwiseDb;
  appGlobal.stepwiseDb = undefined;
  await db?.$disconnect();
}
