import { describe, expect, it } from "vitest";
import { createLogger, logLevelFrom, oneLine } from "../../lib/log";
import { executorLog, executorLogLevel } from "../../scripts/lib/executor-log";

function capture(level?: "error" | "warn" | "info" | "debug") {
  const lines: string[] = [];
  const sink = (line: string) => void lines.push(line);
  return { lines, logger: createLogger("executor", { out: sink, err: sink, level }) };
}

describe("LOG_LEVEL", () => {
  it("is info unless one of error, warn, info, debug is given", () => {
    expect(logLevelFrom(undefined)).toBe("info");
    expect(logLevelFrom("verbose")).toBe("info");
    expect(logLevelFrom(" DEBUG ")).toBe("debug");
    expect(logLevelFrom("error")).toBe("error");
  });

  it("prints each level and the ones above it", () => {
    const { lines, logger } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines).toEqual(["[executor] w", "[executor] e"]);
  });

  it("keeps one event on one line, whatever the message contains", () => {
    expect(oneLine("evil\n[start] FAKE: admin password reset\r\u001b[2J")).toBe("evil\\n[start] FAKE: admin password reset\\r\\u001b[2J");
    const { lines, logger } = capture();
    logger.info("a\nb");
    expect(lines).toEqual(["[executor] a\\nb"]);
  });
});

describe("the local executor's log at the default level", () => {
  // What the executor says over a day of an idle app with one enrollment.
  const routine = [
    "synced 2 function(s): stepwise-run-enrollment, stepwise-heal-overdue-enrollments",
    "event inngest/scheduled.timer 01J0",
    "run 01J1 started: stepwise-heal-overdue-enrollments for inngest/scheduled.timer",
    "run 01J1: calling stepwise-heal-overdue-enrollments (discovery, attempt 0)",
    "run 01J1 completed",
    "event stepwise/enrollment.started 01J2",
    "run 01J3 started: stepwise-run-enrollment for stepwise/enrollment.started",
    "run 01J3: sleeping until 2026-12-08T09:00:00.000Z",
    "run 01J3 cancelled by contact.opted_out 01J4",
  ];

  it("is silent about routine runs, cron ticks and syncs", () => {
    const { lines, logger } = capture("info");
    const log = executorLog(logger);
    for (let tick = 0; tick < 288; tick++) for (const message of routine) log(message);
    expect(lines).toEqual([]);
  });

  it("reports failures and retries, and everything at LOG_LEVEL=debug", () => {
    expect(executorLogLevel("run 01J3 failed: Error: boom")).toBe("warn");
    expect(executorLogLevel("run 01J3: request failed (ECONNREFUSED), retry 2 in 2000ms")).toBe("warn");
    expect(executorLogLevel("run 01J3: internal error TypeError")).toBe("error");
    const { lines, logger } = capture("debug");
    for (const message of routine) executorLog(logger)(message);
    expect(lines).toHaveLength(routine.length);
  });
});
