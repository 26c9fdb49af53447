/**
 * Loaded with `--import` before the benchmarks (see package.json "bench"):
 * lets "server-only" modules load outside Next (server-only-hooks.mjs), and
 * gives the app the environment it needs to run in-process, before any of
 * its modules (the Inngest client reads INNGEST_DEV when created).
 */
import { register } from "node:module";
import { configureAppEnv } from "./app";

register("./server-only-hooks.mjs", import.meta.url);
configureAppEnv();
