/**
 * Writes a new migration for the changes in prisma/schema.prisma, offline:
 *   npm run db:migration -- add_contact_source
 * (`prisma migrate dev` cannot run here: see docs/database.md.) Review the SQL
 * and add anything Prisma cannot express (partial indexes, CHECKs) by hand.
 */
import fs from "node:fs";
import path from "node:path";
import { runPrisma } from "../lib/db/migrate";
import { throwawayDatabase } from "./lib/database";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name in snake_case>");
  process.exit(1);
}

const db = await throwawayDatabase("migration");
try {
  const { output } = await runPrisma(
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    db.url,
  );
  const sql = output.slice(output.indexOf("--"));
  if (!sql.trim() || /This is an empty migration/.test(sql)) {
    console.log("schema.prisma and the migrations agree: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote ${dir}/migration.sql`);
  }
} finally {
  await db.stop();
}
