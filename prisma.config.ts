import path from "node:path";
import { defineConfig } from "prisma/config";
import { cliAdapterFactory } from "./prisma/cli-adapter";

// `prisma generate` needs no database, but without a DATABASE_URL Prisma 6.19
// tries to download an engine. A placeholder keeps generate offline; commands
// that do talk to a database are run through scripts/ which set the real URL.
const databaseUrl =
  process.env.DATABASE_URL ?? "postgresql://stepwise@localhost:5432/stepwise";
process.env.DATABASE_URL = databaseUrl;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => cliAdapterFactory(databaseUrl),
});
