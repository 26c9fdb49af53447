/**
 * The engine's floor for the delivery benchmark (3): the same run shape as
 * inngest/functions/run-enrollment.ts (a first step, then per email a wait
 * that times out and a step) through the same SDK `serve()` handler, local
 * executor, signing and checkpointing, with steps that do nothing. What the
 * product spends above it is ours (planning, claiming, rendering, the
 * database); what the floor spends is the SDK's and the executor's.
 */
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { LocalExecutor, ManualClock } from "@stepwise/inngest-local";
import { timed } from "./stats";

const DAY = 86_400_000;

export type FloorOptions = { runs: number; steps: number; concurrency: number; checkpointing: boolean };

/** Wall time and this process's CPU time (ms) of `runs` runs of `steps` waits and steps each. */
export async function engineFloor({ runs, steps, concurrency, checkpointing }: FloorOptions): Promise<{ ms: number; cpuMs: number }> {
  const client = new Inngest({ id: "bench-engine-floor" });
  const fn = client.createFunction({ id: "floor", triggers: [{ event: "bench/floor.started" }] }, async ({ event, step }) => {
    let plan = await step.run("plan-0", () => ({ id: String(event.data.id), step: 0 }));
    for (let n = 0; n < steps; n++) {
      await step.waitForEvent(`until-${n}`, { event: "bench/floor.never", timeout: DAY });
      plan = await step.run(`deliver-${n}`, () => ({ id: plan.id, step: n + 1 }));
    }
    return plan;
  });
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  const executor = new LocalExecutor({ handlers: serve({ client, functions: [fn] }), clock, concurrency, serveUrl: "http://localhost:3000/api/inngest", checkpointing });
  const api = await executor.listen(0);
  client.setEnvVars({ ...process.env, ...executor.appEnv(api.url), INNGEST_DEV: undefined });
  try {
    await executor.sync();
    await executor.send(Array.from({ length: runs }, (_, id) => ({ name: "bench/floor.started", data: { id } })));
    const cpu = process.cpuUsage();
    const { ms } = await timed(() => executor.advance((steps + 1) * DAY));
    const { user, system } = process.cpuUsage(cpu);
    const finished = executor.runs({ functionId: "bench-engine-floor-floor" }).filter((r) => r.status === "completed").length;
    if (finished !== runs) throw new Error(`engine floor: ${finished} of ${runs} runs completed`);
    return { ms, cpuMs: (user + system) / 1000 };
  } finally {
    await executor.stop();
    await api.close();
  }
}
