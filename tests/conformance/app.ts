import { Inngest } from "inngest";
import { serve } from "inngest/next";

/**
 * The conformance suite's app: each function records what it did in
 * `observed`, so scenarios assert only outcomes any Inngest server must
 * produce (which runs started, finished, were cancelled, in what order).
 * Sleeps are seconds long, so that the real-server leg finishes quickly.
 */
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
export const observed: string[] = [];

export const inngest = new Inngest({ id: "conformance", logger: quiet });

const steps = inngest.createFunction({ id: "steps", triggers: [{ event: "conf/steps" }] }, async ({ event, step }) => {
  const tag = String(event.data.tag);
  await step.run("one", () => observed.push(`one:${tag}`));
  await step.run("two", () => observed.push(`two:${tag}`));
  await step.sleep("pause", "2s");
  await step.run("three", () => observed.push(`three:${tag}`));
});

const cancellable = inngest.createFunction(
  {
    id: "cancellable",
    triggers: [{ event: "conf/cancellable" }],
    cancelOn: [{ event: "conf/stop", if: "event.data.tag == async.data.tag" }],
  },
  async ({ event, step }) => {
    const tag = String(event.data.tag);
    await step.run("before", () => observed.push(`before:${tag}`));
    await step.sleep("pause", "5s");
    await step.run("after", () => observed.push(`after:${tag}`));
  },
);

const idempotent = inngest.createFunction(
  { id: "idempotent", triggers: [{ event: "conf/idem" }], idempotency: "event.data.key" },
  async ({ event, step }) => {
    await step.run("once", () => observed.push(`idem:${String(event.data.n)}`));
  },
);

const limited = inngest.createFunction(
  { id: "limited", triggers: [{ event: "conf/limited" }], concurrency: { limit: 1 } },
  async ({ event, step }) => {
    const tag = String(event.data.tag);
    await step.run("work", async () => {
      observed.push(`start:${tag}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      observed.push(`end:${tag}`);
    });
  },
);

/** Records how a run ended when it failed (the SDK's onFailure, run on inngest/function.failed). */
const recordFailure = ({ event, error }: { event: { data: { event: { data: Record<string, unknown> } } }; error: Error }) => {
  observed.push(`failed:${String(event.data.event.data.tag)}:${error.name}`);
};

const waiter = inngest.createFunction(
  { id: "waiter", triggers: [{ event: "conf/wait" }], onFailure: recordFailure },
  async ({ event, step }) => {
    const tag = String(event.data.tag);
    await step.run("registered", () => observed.push(`waiting:${tag}`));
    const reply = await step.waitForEvent("reply", {
      event: "conf/reply",
      timeout: String(event.data.timeout ?? "30s"),
      if: typeof event.data.if === "string" ? event.data.if : "async.data.tag == event.data.tag",
    });
    await step.run("resumed", () => observed.push(reply ? `resumed:${tag}:${String(reply.data.text)}` : `timed-out:${tag}`));
  },
);

/** Cancelled by a group-wide stop, or only its tag's when the stop names one (a missing key compares as null). */
const grouped = inngest.createFunction(
  {
    id: "grouped",
    triggers: [{ event: "conf/grouped" }],
    cancelOn: [{ event: "conf/stop-group", if: "async.data.group == event.data.group && (async.data.tag == null || async.data.tag == event.data.tag)" }],
  },
  async ({ event, step }) => {
    const tag = String(event.data.tag);
    await step.run("before", () => observed.push(`before:${tag}`));
    await step.sleep("pause", "5s");
    await step.run("after", () => observed.push(`after:${tag}`));
  },
);

const throttled = inngest.createFunction(
  { id: "throttled", triggers: [{ event: "conf/throttled" }], throttle: { limit: 1, period: "2s", key: "event.data.group" } },
  async ({ event, step }) => {
    await step.run("start", () => observed.push(`throttled:${String(event.data.tag)}`));
  },
);

const rateLimited = inngest.createFunction(
  { id: "rate-limited", triggers: [{ event: "conf/rate-limited" }], rateLimit: { limit: 1, period: "1m", key: "event.data.group" } },
  async ({ event, step }) => {
    await step.run("start", () => observed.push(`rate-limited:${String(event.data.tag)}`));
  },
);

export const handlers = serve({
  client: inngest,
  functions: [steps, cancellable, idempotent, limited, waiter, grouped, throttled, rateLimited],
});
