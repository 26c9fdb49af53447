/**
 * The command line of `npm run bench`:
 *   --only=bulk,stats     run these benchmarks (default: all)
 *   --scale=100k|1m       the admin-queries data set's size (default 100k)
 *   --data-dir=<dir>      keep the PostgreSQL cluster in <dir> between runs,
 *                         and with it the generated data set (upgraded in
 *                         place when the schema gained migrations, rebuilt
 *                         when one was edited or removed: lib/kept-set.ts):
 *                         a 1m data set takes half an hour to build.
 */
import path from "node:path";
import { scaleNamed, type Scale } from "./scale-data";

export type BenchOptions = { only: string[] | null; scale: Scale; dataDir: string | null };

function flag(argv: string[], name: string): string | null {
  const prefix = `--${name}=`;
  const found = argv.find((a) => a.startsWith(prefix));
  return found === undefined ? null : found.slice(prefix.length);
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const only = flag(argv, "only");
  const dataDir = flag(argv, "data-dir");
  return {
    only: only === null ? null : only.split(",").filter(Boolean),
    scale: scaleNamed(flag(argv, "scale") ?? "100k"),
    dataDir: dataDir ? path.resolve(dataDir) : null,
  };
}

/** This run's options (parsed once; every benchmark reads the same). */
export const benchOptions: BenchOptions = parseBenchOptions(process.argv.slice(2));
