/**
 * Drives `npm start` (scripts/start.ts) as a user or a process manager does:
 * a real child process with its own environment, watched from outside.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The caller's environment without anything that configures Stepwise. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(DATABASE_URL|TEST_DATABASE_URL|STEPWISE_|INNGEST_|AUTH_|APP_URL$|HOST$|HOSTNAME$|PORT$|NODE_ENV$|EMBEDDED_PG_PORT$|LOG_LEVEL$|TRUSTED_PROXY_HOPS$|npm_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", ...extra } as unknown as NodeJS.ProcessEnv;
}

/** A data directory the `postgres` user can reach when the tests run as root. */
export function throwawayDataDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stepwise-start-${label}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export type StartedApp = {
  child: ChildProcess;
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  /** Settles once the process has exited and everything it printed has been read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
};

/** `npm start -- <args>` in the repository, as its own process group leader. */
export function npmStart(args: string[], env: NodeJS.ProcessEnv): StartedApp {
  const child = spawn("npm", ["start", "--", ...args], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  // "close", not "exit": "exit" can arrive before the last of stdout/stderr has been read (a CI run under
  // load saw exit code 1 with an empty stderr for a refusal that prints one line).
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => out + err,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 240_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out + err)) {
        if (done) throw new Error(`npm start exited before printing ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}

export function alive(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(state); // a zombie has exited
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

/** The addresses with a socket listening on TCP `port` (from /proc/net/tcp and tcp6). */
export function listenAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== "0A" || !local) continue; // 0A = LISTEN
      const [hexAddress, hexPort] = local.split(":");
      if (parseInt(hexPort, 16) === port) found.push(decodeAddress(hexAddress));
    }
  }
  return found;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
  if (/^0{32}$/.test(hex)) return "::";
  if (hex === "00000000000000000000000001000000") return "::1";
  if (hex.startsWith("0000000000000000FFFF0000")) return decodeAddress(hex.slice(24));
  return hex;
}
