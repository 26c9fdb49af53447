/**
 * An optional CPU profile of one part of a benchmark (BENCH_PROFILE=<dir>):
 * V8's sampling profiler through the inspector, started and stopped around
 * the part measured, written as a .cpuprofile (Chrome DevTools opens it) and
 * summarized as self time by package, the summary docs/benchmarks.md quotes.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Session } from "node:inspector/promises";

type ProfileNode = { id: number; callFrame: { url: string; functionName: string }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Runs `work` under the profiler when BENCH_PROFILE names a directory; returns its result either way. */
export async function profiled<T>(name: string, log: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
    session.disconnect();
    const file = path.join(dir, `${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    log(`[profile] ${file}\n${summarize(profile)}`);
  }
}

/**
 * Where a function's code comes from: an npm package, Node itself, or this
 * repository's code. Null for native code and Node's own JS, which are
 * charged to the nearest caller that has a bucket (a socket write to
 * whoever sent the query).
 */
export function bucketOf(url: string, functionName: string): string | null {
  if (!url) return functionName.startsWith("(") ? functionName : null;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return null;
  // Two WebAssembly modules run here, Prisma's query compiler and undici's
  // HTTP parser (fetch), and their URLs do not say which: charge each to
  // its caller, as native code.
  if (url.startsWith("wasm:")) return null;
  const repo = /\/(packages\/[^/]+|lib|app|inngest|scripts|generated)\//.exec(url);
  return repo ? `repo:${repo[1]}` : "other";
}

/** Self time by bucket (see bucketOf), largest first, as percentages of the busy time. */
export function summarize(profile: Profile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const bucketFor = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const found = bucketOf(frame.url, frame.functionName);
      if (found) return found;
    }
    return "(native, no caller)";
  };
  const bucket = new Map(profile.nodes.map((n) => [n.id, bucketFor(n.id)]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const key = bucket.get(id) ?? "other";
    totals.set(key, (totals.get(key) ?? 0) + dt);
    all += dt;
  });
  const busy = all - (totals.get("(idle)") ?? 0);
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `sampled ${(all / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / all).toFixed(0)}%); self time by package, % of busy:`,
    ...rows.filter(([k]) => k !== "(idle)").map(([k, t]) => `  ${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`),
  ].join("\n");
}
