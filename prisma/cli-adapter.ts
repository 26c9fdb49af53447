/**
 * The driver adapter the Prisma CLI (migrate deploy / diff / status) uses.
 *
 * Prisma 6.19's native schema engine is a download this machine cannot make,
 * so the CLI runs its WASM engine over @prisma/adapter-pg. Two known defects
 * of that adapter are worked around here (see docs/database.md):
 *  - prisma/orm#27403: pg_catalog `name` / `"char"` columns (OIDs 18, 19 and
 *    their arrays 1002, 1003) cannot be decoded, so every migrate command
 *    fails. We report them as text / text[]; their values already arrive as
 *    strings.
 *  - Its shadow database handling drops the database before closing the pool
 *    (or replays into the real database). We create, use and force-drop a
 *    uniquely named shadow database ourselves.
 *  - Its executeScript splits a migration on every ";", which breaks any
 *    statement containing one (a PL/pgSQL function body). We send the whole
 *    script at once: PostgreSQL's simple query protocol runs multi-statement
 *    scripts itself.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;
const CATALOG_OIDS_AS_TEXT: Record<number, number> = {
  18: TEXT_OID, // "char"
  19: TEXT_OID, // name
  1002: TEXT_ARRAY_OID, // "char"[]
  1003: TEXT_ARRAY_OID, // name[]
};

type Result = { fields?: { dataTypeID: number }[] };

function retypeCatalogColumns<T>(result: T): T {
  for (const r of (Array.isArray(result) ? result : [result]) as Result[]) {
    for (const field of r?.fields ?? []) {
      const asText = CATALOG_OIDS_AS_TEXT[field.dataTypeID];
      if (asText) field.dataTypeID = asText;
    }
  }
  return result;
}

/** A pg client whose results never carry the column types the adapter rejects. */
class CatalogSafeClient extends pg.Client {
  // pg's query() has many overloads (promise or callback); wrap both shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (err: unknown, res: unknown) =>
        last(err, err ? res : retypeCatalogColumns(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<unknown>).then === "function") {
      return (out as Promise<unknown>).then(retypeCatalogColumns);
    }
    return out;
  }
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

function wholeScriptExecution(adapter: Adapter): Adapter {
  adapter.executeScript = async (script: string) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      // Map to Prisma's error shape exactly as the adapter's own methods do.
      (adapter as unknown as { onError(e: unknown): never }).onError(error);
    }
  };
  return adapter;
}

function adapterFor(connectionString: string) {
  const factory = new PrismaPg({ connectionString, Client: CatalogSafeClient } as pg.PoolConfig);
  return { factory, connect: async () => wholeScriptExecution(await factory.connect()) };
}

/** The factory prisma.config.ts hands to the CLI. */
export function cliAdapterFactory(connectionString: string) {
  const main = adapterFor(connectionString);
  return {
    provider: main.factory.provider as "postgres",
    adapterName: main.factory.adapterName,
    connect: main.connect,
    async connectToShadowDb() {
      const name = `stepwise_shadow_${randomUUID().replace(/-/g, "")}`;
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const url = new URL(connectionString);
      url.pathname = `/${name}`;
      const shadow = await adapterFor(url.toString()).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const dropper = new pg.Client({ connectionString });
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await dropper.end();
        }
      };
      return shadow;
    },
  };
}
