/**
 * What Linux's /proc says about the processes `npm start` runs: the start
 * tests and the app_memory benchmark look for the Next.js server among
 * them and read how it was started.
 */
import fs from "node:fs";

/** A process's /proc/<pid>/<name> file; empty once the process is gone. */
export function procFile(pid: number, name: "cmdline" | "environ"): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return "";
  }
}

/** Every live process below `pid`. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const pending = [pid];
  while (pending.length) for (const child of children.get(pending.pop()!) ?? []) found.push(child), pending.push(child);
  return found;
}

/** The Next.js servers below `root`: a `next start` process, or the `next-server` it renames itself to once ready. */
export function nextServersBelow(root: number): number[] {
  return descendants(root).filter((pid) => {
    const cmdline = procFile(pid, "cmdline").split("\0").join(" ");
    return /next-server/.test(cmdline) || /\bnext\b.*\sstart\b/.test(cmdline);
  });
}

/** The NODE_OPTIONS a process was started with ("" without). */
export function nodeOptionsOf(pid: number): string {
  const entry = procFile(pid, "environ").split("\0").find((line) => line.startsWith("NODE_OPTIONS="));
  return entry?.slice("NODE_OPTIONS=".length) ?? "";
}
