/**
 * Setup file for projects whose test files run in parallel (vitest.config.ts):
 * makes this worker's copy of the project's migrated database (global-setup.ts)
 * before any test file connects to it; testDatabaseUrl() names it.
 */
import { inject } from "vitest";
import { databaseName, ensureCopy } from "./database-copies";
import { testDatabaseUrl } from "./database-url";

await ensureCopy(inject("databaseUrl"), databaseName(testDatabaseUrl()));
