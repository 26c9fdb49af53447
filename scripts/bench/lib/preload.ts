/**
 * Loaded with `--import` before the benchmarks (see package.json "bench"):
 * lets "server-only" modules load outside Next (server-only-hooks.mjs), and
 * gives the app the environment it needs to run in-process, before any of
 * its modules. The delivery benchmark gives the Inngest client its executor's
 * keys itself (cloud mode, as `npm start` runs).
 */
import { register } from "node:module";

register("./server-only-hooks.mjs", import.meta.url);
process.env.APP_URL ??= "http://localhost:3000";
process.env.STEPWISE_SIGNING_SECRET ??= "bench-signing-secret-0123456789";
