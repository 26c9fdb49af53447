/**
 * The benchmark's kept data set (--data-dir): upgraded in place when the
 * schema only gained migrations, rebuilt when it is unfinished, from another
 * generator, or a migration it applied was edited or removed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planKeptSet, schemaMigrations, type KeptSet } from "../../scripts/bench/lib/kept-set";

const SET = "1m+tracking";
const schema = ["20261101_a:aaa", "20261102_b:bbb", "20261103_c:ccc", "20261104_d:ddd"];
const kept = (migrations: string[], overrides: Partial<KeptSet> = {}): KeptSet => ({ migrations, failed: 0, dataSet: SET, ...overrides });

describe("a kept data set", () => {
  it("is reused when it has every migration of the schema", () => {
    expect(planKeptSet(kept(schema), schema, SET)).toEqual({ action: "reuse" });
  });

  it("is upgraded in place when its migrations are a prefix of the schema's", () => {
    expect(planKeptSet(kept(schema.slice(0, 2)), schema, SET)).toEqual({ action: "upgrade", missing: ["20261103_c", "20261104_d"], prefix: true });
  });

  it("is upgraded too when a migration older-named than its last one was added (a branch merged later), and says so", () => {
    expect(planKeptSet(kept([schema[0], schema[2]]), schema, SET)).toEqual({ action: "upgrade", missing: ["20261102_b", "20261104_d"], prefix: false });
  });

  it("is rebuilt when one of its migrations was edited or removed since", () => {
    expect(planKeptSet(kept(["20261101_a:aaa", "20261102_b:old"]), schema, SET)).toEqual({ action: "rebuild", reason: "20261102_b was edited since it was applied" });
    expect(planKeptSet(kept(["20261101_a:aaa", "20261101_x:xxx"]), schema, SET)).toEqual({ action: "rebuild", reason: "20261101_x was removed since it was applied" });
  });

  it("is rebuilt when unfinished, from another generator, or after a failed migration", () => {
    expect(planKeptSet(kept(schema, { dataSet: null }), schema, SET)).toEqual({ action: "rebuild", reason: "unfinished" });
    expect(planKeptSet(kept(schema, { dataSet: "1m" }), schema, SET).action).toBe("rebuild");
    expect(planKeptSet(kept(schema.slice(0, 2), { failed: 1 }), schema, SET)).toEqual({ action: "rebuild", reason: "1 of its migrations failed" });
  });
});

describe("the schema's migrations", () => {
  it("are the directories with a migration.sql, by name, each with the SHA-256 of its file as Prisma records it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kept-set-"));
    try {
      for (const name of ["20261102_b", "20261101_a"]) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, "migration.sql"), "SELECT 1;\n");
      }
      fs.mkdirSync(path.join(dir, "20261103_empty"));
      fs.writeFileSync(path.join(dir, "migration_lock.toml"), "");
      // `printf 'SELECT 1;\n' | sha256sum`: what _prisma_migrations.checksum holds for that file.
      expect(schemaMigrations(dir)).toEqual(["20261101_a:b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", "20261102_b:b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
