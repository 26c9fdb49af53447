import { readSyncResponse } from "./protocol";
import type { AppTransport } from "./transport";
import type { FunctionConfig } from "./types";
import { checkFunctionConfig, type ConcurrencyLimit } from "./validate";

export interface SyncedApp {
  appId?: string;
  functions: FunctionConfig[];
  /** Each function's normalized concurrency limits, by function id. */
  concurrency: Map<string, ConcurrencyLimit[]>;
  crons: { functionId: string; cron: string }[];
}

/**
 * In-band sync: PUT to the serve endpoint, which answers with its function
 * configs, then the server's sync-time checks (validate.ts). Refuses the
 * whole sync, listing every reason, as the real server does
 * (function.go:419-543); logs the warnings.
 */
export async function syncApp(transport: AppTransport, log: (msg: string) => void): Promise<SyncedApp> {
  const body = JSON.stringify({ url: transport.serveUrl });
  const res = await transport.request("PUT", {}, body, { "x-inngest-sync-kind": "in_band" });
  const { appId, functions } = await readSyncResponse(res);
  const checks = functions.map((fn) => ({ fn, check: checkFunctionConfig(fn) }));
  const refused = checks.flatMap(({ fn, check }) => check.errors.map((error) => `${fn.id}: ${error}`));
  if (refused.length > 0) throw new Error(`sync refused:\n  ${refused.join("\n  ")}`);
  for (const { fn, check } of checks) for (const warning of check.warnings) log(`WARNING ${fn.id} ${warning}`);
  const crons = functions.flatMap((fn) =>
    fn.triggers.flatMap((trigger) => ("cron" in trigger ? [{ functionId: fn.id, cron: trigger.cron }] : [])),
  );
  return { appId, functions, concurrency: new Map(checks.map(({ fn, check }) => [fn.id, check.concurrency])), crons };
}
