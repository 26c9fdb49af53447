/**
 * The database a test file uses. In a project whose files run in parallel
 * (vitest.config.ts: its setup file is worker-database.ts), each worker has
 * its own copy of the project's migrated database, so one file's resetDb()
 * never empties the tables another file is using; in the others it is the
 * project's database (global-setup.ts). The copy is named after the worker's
 * process and thread, not VITEST_POOL_ID: when every project runs in one
 * `vitest run`, two workers of the parallel project were given the same pool
 * id and so shared one copy (rows vanished under running tests).
 */
import { threadId } from "node:worker_threads";
import { inject } from "vitest";
import { withDatabase, workerCopyPrefix } from "./database-copies";

export function testDatabaseUrl(): string {
  const projectUrl = inject("databaseUrl");
  if (!inject("databasePerWorker")) return projectUrl;
  return withDatabase(projectUrl, `${workerCopyPrefix(projectUrl)}${process.pid}_${threadId}`);
}
