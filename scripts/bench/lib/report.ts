/** One JSON line per benchmark (machine-readable), then a table for people. */
import { round } from "./stats";

export type Metrics = Record<string, number>;

export type BenchResult = {
  name: string;
  /** What the ratio compares, e.g. "ms (median of 5)". */
  unit: string;
  product: Metrics;
  baseline: Metrics | null;
  /** product / baseline on the compared metric (null when there is no baseline). */
  ratio: number | null;
  target: string;
  pass: boolean;
  notes?: Record<string, unknown>;
};

function roundAll(metrics: Metrics | null): Metrics | null {
  return metrics && Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, round(v)]));
}

export function printJsonLine(result: BenchResult): void {
  const line = { ...result, product: roundAll(result.product), baseline: roundAll(result.baseline), ratio: result.ratio === null ? null : round(result.ratio) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const fmt = (metrics: Metrics | null) =>
  metrics ? Object.entries(metrics).map(([k, v]) => `${k}=${round(v)}`).join(" ") : "-";

/** A fixed-width table; the caller prints the load alongside it. */
export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [r.name, fmt(r.product), fmt(r.baseline), r.ratio === null ? "-" : `${round(r.ratio)}x`, r.target, r.pass ? "PASS" : "MISS"]);
  const header = ["benchmark", "product", "baseline", "ratio", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}
