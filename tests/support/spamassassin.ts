/**
 * Debian's SpamAssassin (installed by .ci/run) scoring messages with its
 * shipped rules and no network tests (-L), all in one process (--mbox): a
 * run costs seconds of start-up, not of scoring.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type SpamVerdict = { messageId: string; score: number; rules: { name: string; points: number }[] };

export async function spamScores(messages: string[]): Promise<Map<string, SpamVerdict>> {
  // Its own home, so nothing is learnt or kept between runs (no Bayes, no user preferences).
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-sa-"));
  const mbox = messages.map((raw) => `From sender@stepwise.test Sun Dec  6 08:00:00 2026\n${raw.replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1")}\n`).join("\n");
  try {
    const output = await run("spamassassin", ["-L", "-t", "--mbox", "-p", path.join(home, "user_prefs")], mbox, { ...process.env, HOME: home });
    const verdicts = new Map<string, SpamVerdict>();
    for (const scored of output.split(/^From sender@stepwise\.test .*$/m).slice(1)) {
      const messageId = scored.match(/^Message-ID:\s*<([^>]+)>/im)?.[1];
      const score = scored.match(/^Content analysis details:\s+\((-?[\d.]+) points/m)?.[1];
      if (!messageId || score === undefined) throw new Error(`spamassassin output without a Message-ID or a score:\n${scored}`);
      const table = scored.slice(scored.indexOf("---- ----"));
      const rules = [...table.matchAll(/^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s/gm)].map((m) => ({ name: m[2], points: Number(m[1]) }));
      verdicts.set(messageId, { messageId, score: Number(score), rules });
    }
    return verdicts;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => reject(new Error(`${command} could not run (.ci/run installs Debian's spamassassin): ${e.message}`)));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}: ${err}`))));
    child.stdin.end(input);
  });
}
