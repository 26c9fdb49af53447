/**
 * Auth.js's log, on the app's logger: a refused sign-in is one info line (it
 * is expected, and an attacker's guessing must not flood the log with
 * stacks); anything else is one error line, the stack only at LOG_LEVEL=debug.
 */
import type { NextAuthConfig } from "next-auth";
import { createLogger } from "../log";

const log = createLogger("auth");

export const authLogger: NonNullable<NextAuthConfig["logger"]> = {
  error(error: Error) {
    const type = (error as { type?: string }).type ?? error.name;
    if (type === "CredentialsSignin") {
      log.info("sign-in refused: wrong email or password");
      return;
    }
    const inner = (error.cause as { err?: unknown } | undefined)?.err;
    const cause = inner instanceof Error ? ` (cause: ${inner.message.split("\n")[0]})` : "";
    log.error(`${type}: ${error.message.split("\n")[0]}${cause}`);
    if (error.stack) log.debug(error.stack);
  },
  warn(code) {
    log.warn(`warning: ${code}`);
  },
  debug(message) {
    log.debug(message);
  },
};
