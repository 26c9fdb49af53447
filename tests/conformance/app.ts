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

export const handlers = serve({ client: inngest, functions: [steps, cancellable, idempotent, limited] });
