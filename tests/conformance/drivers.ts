import { LocalExecutor, ManualClock } from "@stepwise/inngest-local";
import { serveOverHttp } from "../inngest/fixtures/http-server";
import { handlers, inngest } from "./app";

type Event = { name: string; data: Record<string, unknown>; id?: string };

/** An Inngest server the scenarios drive through the SDK's public surface only. */
export interface Driver {
  readonly name: string;
  send(events: Event[]): Promise<void>;
  /** Lets `ms` of the server's time pass (real time on a real server). */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The local executor, in cloud mode with checkpointing, on a manual clock. */
export async function localDriver(): Promise<Driver> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  const app = await serveOverHttp(handlers);
  const executor = new LocalExecutor({ serveUrl: app.url, clock });
  const api = await executor.listen(0);
  inngest.setEnvVars({ ...executor.appEnv(api.url), INNGEST_DEV: undefined });
  await executor.sync();
  return {
    name: "local executor",
    send: async (events) => {
      await inngest.send(events);
      await executor.runUntilIdle();
    },
    elapse: (ms) => executor.advance(ms),
    close: async () => {
      await executor.stop();
      await api.close();
      await app.close();
    },
  };
}

/**
 * A real Inngest dev server (`npx inngest-cli@<version> dev`) at `url`: the
 * app is served over HTTP, registers itself there (the SDK's PUT), and
 * events go through the SDK's send.
 */
export async function devServerDriver(url: string): Promise<Driver> {
  const app = await serveOverHttp(handlers);
  inngest.setEnvVars({ INNGEST_DEV: url, INNGEST_BASE_URL: url, INNGEST_SIGNING_KEY: undefined });
  const registered = await fetch(app.url, { method: "PUT" });
  if (!registered.ok) throw new Error(`the dev server at ${url} did not register the app: HTTP ${registered.status}`);
  return {
    name: `Inngest dev server at ${url}`,
    send: async (events) => {
      await inngest.send(events);
    },
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    close: () => app.close(),
  };
}
