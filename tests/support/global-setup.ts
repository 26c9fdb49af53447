/**
 * Starts a throwaway embedded PostgreSQL (or uses TEST_DATABASE_URL, which
 * must point at this machine) and applies the committed migrations, exactly
 * as the app does on start.
 *
 * One cluster, migrated once, serves every project of the run: each project
 * gets its own database, a copy of the migrated one (CREATE DATABASE ...
 * TEMPLATE), so no project sees another's rows. Starting and migrating a
 * cluster per project cost about half a minute each. With TEST_DATABASE_URL
 * every project uses that database, as before; the parallel projects'
 * workers copy it (worker-database.ts), so its user needs CREATEDB.
 * `npm test` starts and migrates the cluster beside the build and passes it
 * in as STEPWISE_TEST_CLUSTER_URL (scripts/test-all.ts).
 */
import type { TestProject } from "vitest/node";
import { migrateDeploy } from "../../lib/db/migrate";
import { throwawayDatabase, type ScriptDatabase } from "../../scripts/lib/database";
import { databaseName, dropCopies, ensureCopy, workerCopyPrefix } from "./database-copies";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Each worker has its own copy of databaseUrl (tests/support/database-url.ts). */
    databasePerWorker: boolean;
  }
}

type SharedCluster = { ready: Promise<ScriptDatabase>; projects: number };

// Each project loads this file on its own; the run's main process is shared.
const holder = globalThis as { __stepwiseTestCluster?: SharedCluster };

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}): tests delete data.`);
  }
}

async function startCluster(): Promise<ScriptDatabase> {
  // A throwaway cluster scripts/test-all.ts started and migrated during the build, and stops after the run.
  const prepared = process.env.STEPWISE_TEST_CLUSTER_URL;
  if (prepared) {
    assertLocal(prepared);
    return { url: prepared, embedded: true, stop: async () => {} };
  }
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    assertLocal(external);
    await migrateDeploy(external);
    return { url: external, embedded: false, stop: async () => {} };
  }
  const database = await throwawayDatabase("test");
  await migrateDeploy(database.url);
  return database;
}

/** The project's database: a copy of the migrated one (or TEST_DATABASE_URL itself). */
async function projectDatabase(cluster: ScriptDatabase, project: string): Promise<string> {
  const url = cluster.embedded ? await ensureCopy(cluster.url, `${databaseName(cluster.url)}_${project.replace(/\W/g, "_")}`) : cluster.url;
  // Worker copies of it (worker-database.ts) from an earlier run on a server that outlived it.
  await dropCopies(url, workerCopyPrefix(url));
  return url;
}

export async function setup(project: TestProject) {
  const shared = (holder.__stepwiseTestCluster ??= { ready: startCluster(), projects: 0 });
  shared.projects += 1;
  const cluster = await shared.ready;
  project.provide("databaseUrl", await projectDatabase(cluster, project.name));
  project.provide("databasePerWorker", (project.config.setupFiles ?? []).some((file) => file.endsWith("worker-database.ts")));
}

export async function teardown() {
  const shared = holder.__stepwiseTestCluster;
  if (!shared) return;
  shared.projects -= 1;
  if (shared.projects > 0) return;
  holder.__stepwiseTestCluster = undefined;
  await (await shared.ready.catch(() => undefined))?.stop();
}
