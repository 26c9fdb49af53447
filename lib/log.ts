/**
 * One line per meaningful event. LOG_LEVEL (error | warn | info | debug,
 * default info) decides how much is printed; routine chatter (every run,
 * every cron tick) is `debug`, so a default log stays readable for weeks.
 * Anything interpolated is escaped so that a value with a newline cannot
 * forge a second log line.
 */
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Logger = Record<LogLevel, (message: string) => void>;

/** LOG_LEVEL as given, or `info` when unset or not one of the four names. */
export function logLevelFrom(value: string | undefined): LogLevel {
  const wanted = value?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(wanted ?? "") ? (wanted as LogLevel) : "info";
}

export function enabled(level: LogLevel, threshold: LogLevel = logLevelFrom(process.env.LOG_LEVEL)): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(threshold);
}

/** Control characters (CR, LF, ESC...) shown as escapes: one event, one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

type Sink = (line: string) => void;

/** A logger whose lines start with `[scope]`; errors and warnings go to stderr. */
export function createLogger(scope: string, sinks: { out?: Sink; err?: Sink; level?: LogLevel } = {}): Logger {
  const out = sinks.out ?? ((line) => console.log(line));
  const err = sinks.err ?? ((line) => console.error(line));
  const write = (level: LogLevel) => (message: string) => {
    if (!enabled(level, sinks.level)) return;
    (level === "error" || level === "warn" ? err : out)(`[${scope}] ${oneLine(message)}`);
  };
  return { error: write("error"), warn: write("warn"), info: write("info"), debug: write("debug") };
}
