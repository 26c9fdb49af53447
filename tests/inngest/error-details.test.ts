/**
 * What a failing run tells Inngest (and so anyone who can read a response
 * of /api/inngest): in production only the error's name and a reference,
 * no message, stack or server path; in development the whole error.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { worstCaseBackoffMs } from "@stepwise/inngest-local";
import { startHarness, type Harness } from "../support/run-harness";

// Nothing listens on port 1: every database call fails, as when PostgreSQL is down.
const UNREACHABLE_DB = "postgresql://stepwise:x@127.0.0.1:1/stepwise?connect_timeout=1";

let h: Harness | undefined;
const nodeEnv = process.env.NODE_ENV;
afterEach(async () => {
  (process.env as Record<string, string | undefined>).NODE_ENV = nodeEnv;
  await h?.stop();
  h = undefined;
});

async function failedRunError(mode: "production" | "test"): Promise<string> {
  (process.env as Record<string, string | undefined>).NODE_ENV = mode;
  h = await startHarness({ databaseUrl: UNREACHABLE_DB });
  const data = { enrollmentId: randomUUID(), contactId: randomUUID(), sequenceId: randomUUID(), exitOnReply: false, runKey: randomUUID() };
  await h.executor.send({ name: "stepwise/enrollment.started", data });
  await h.executor.runUntilIdle();
  // The run retries 5 times on Inngest's backoff table before it fails.
  await h.executor.advance(worstCaseBackoffMs(5));
  const run = h.executor.runs().find((r) => (r.event.data as { runKey?: string }).runKey === data.runKey);
  expect(run?.status).toBe("failed");
  return JSON.stringify(run?.error);
}

describe("a failing step's error as the app reports it to Inngest", () => {
  it("in production: the error's name and a reference, no stack, no server path, no database address", async () => {
    const error = await failedRunError("production");
    expect(error).toMatch(/reference [0-9a-f]{8}/);
    expect(error).not.toContain(process.cwd());
    expect(error).not.toMatch(/\bat .*:\d+:\d+/);
    expect(error).not.toContain("127.0.0.1:1");
    expect(error).not.toContain("node_modules");
  });

  it("in development: the whole error, so the tests above can tell the difference", async () => {
    const error = await failedRunError("test");
    expect(error).toMatch(/127\.0\.0\.1:1|node_modules|\bat .*:\d+:\d+/);
  });
});
