import { createLogger, enabled, type LogLevel } from "../lib/log";

/**
 * The Inngest SDK's log, as one line per event through lib/log.ts. The SDK
 * logs an error object with its stack (an unsigned request to /api/inngest
 * alone printed eight lines, so anyone could flood the log); the stack is
 * kept for LOG_LEVEL=debug.
 */
const log = createLogger("inngest");

function describe(arg: unknown): string {
  if (arg instanceof Error) return enabled("debug") && arg.stack ? arg.stack : `${arg.name}: ${arg.message}`;
  if (typeof arg === "string") return arg;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

const write = (level: LogLevel) => (...args: unknown[]) => log[level](args.map(describe).join(" "));

export const inngestLogger = { error: write("error"), warn: write("warn"), info: write("info"), debug: write("debug") };
