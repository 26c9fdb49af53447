/**
 * The database a test file uses. In a project whose files run in parallel
 * (vitest.config.ts: its setup file is worker-database.ts), each worker has
 * its own copy of the project's migrated database, named after the worker's
 * pool id, so one file's resetDb() never empties the tables another file is
 * using; in the others it is the project's database (global-setup.ts).
 */
import { inject } from "vitest";
import { withDatabase, workerCopyPrefix } from "./database-copies";

export function testDatabaseUrl(): string {
  const projectUrl = inject("databaseUrl");
  if (!inject("databasePerWorker")) return projectUrl;
  return withDatabase(projectUrl, `${workerCopyPrefix(projectUrl)}${process.env.VITEST_POOL_ID ?? "1"}`);
}
