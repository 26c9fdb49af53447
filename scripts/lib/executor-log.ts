/**
 * The local executor narrates everything it does (every event, run, call,
 * sleep, cron tick). At the default LOG_LEVEL=info the log keeps only what
 * an operator acts on: failures and retries; the rest is `debug`.
 */
import { createLogger, type Logger, type LogLevel } from "../../lib/log";

const RULES: [RegExp, LogLevel][] = [
  [/internal error|tick failed/, "error"],
  [/^run \S+ failed|request failed|CEL .* failed|^WARNING |^NOT IMPLEMENTED|refused checkpoint/, "warn"],
];

export function executorLogLevel(message: string): LogLevel {
  for (const [pattern, level] of RULES) if (pattern.test(message)) return level;
  return "debug";
}

export function executorLog(logger: Logger = createLogger("executor")): (message: string) => void {
  return (message) => logger[executorLogLevel(message)](message);
}
