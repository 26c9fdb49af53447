/**
 * Setup file for projects whose test files run in parallel (vitest.config.ts):
 * each worker gets its own database, a copy of the project's migrated one
 * (global-setup.ts), and inject("databaseUrl") answers that copy's URL in
 * the worker. So one file's resetDb() never empties the tables another file
 * is using, while the files a worker runs still run one after another on its
 * database, as all of them did before on the single shared one.
 */
import { inject } from "vitest";
import { ensureCopy, workerCopyPrefix } from "./database-copies";

type WorkerState = { providedContext: Record<string, unknown> };

const projectUrl = inject("databaseUrl");
const workerUrl = await ensureCopy(projectUrl, `${workerCopyPrefix(projectUrl)}${process.env.VITEST_POOL_ID ?? "1"}`);

// inject() reads the worker's copy of the provided context on every call.
const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
if (state) state.providedContext.databaseUrl = workerUrl;
if (inject("databaseUrl") !== workerUrl) {
  // A vitest upgrade moved its worker state: fail rather than let parallel files share one database.
  throw new Error("tests/support/worker-database.ts could not point inject('databaseUrl') at the worker's database");
}
