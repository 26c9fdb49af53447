/**
 * Starts a throwaway embedded PostgreSQL (or uses TEST_DATABASE_URL, which
 * must point at this machine) and applies the committed migrations, exactly
 * as the app does on start.
 */
import type { TestProject } from "vitest/node";
import { migrateDeploy } from "../../lib/db/migrate";
import { throwawayDatabase, type ScriptDatabase } from "../../scripts/lib/database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let database: ScriptDatabase | undefined;

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}): tests delete data.`);
  }
}

export async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    assertLocal(external);
    database = { url: external, embedded: false, stop: async () => {} };
  } else {
    database = await throwawayDatabase("test");
  }
  await migrateDeploy(database.url);
  project.provide("databaseUrl", database.url);
}

export async function teardown() {
  await database?.stop();
}
