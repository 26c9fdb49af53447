/**
 * Copies of a migrated test database in the same PostgreSQL server
 * (CREATE DATABASE ... TEMPLATE): a copy starts with the schema and rows of
 * its template, and a reset of one copy never touches another.
 */
import pg from "pg";

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

export function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${encodeURIComponent(name)}`;
  return copy.toString();
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The URL of `name`, a copy of the database at `templateUrl`, made unless it
 * exists. PostgreSQL copies a template only while nobody is connected to it:
 * a moment's connection is waited out.
 */
export async function ensureCopy(templateUrl: string, name: string): Promise<string> {
  await onServer(templateUrl, async (client) => {
    for (let attempt = 1; ; attempt++) {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (rowCount) return;
      try {
        await client.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(databaseName(templateUrl))}`);
        return;
      } catch (error) {
        // 55006: someone is on the template; 42P04/23505: another process made the same copy first.
        const code = (error as { code?: string }).code ?? "";
        if (attempt >= 100 || !["55006", "42P04", "23505"].includes(code)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return withDatabase(templateUrl, name);
}

/** Drops the databases whose names start with `prefix` (copies an earlier run left on a server that outlives it). */
export async function dropCopies(url: string, prefix: string): Promise<void> {
  await onServer(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE ${quote(datname)} WITH (FORCE)`);
  });
}

/** Worker copies of the project database at `url` (worker-database.ts) are named this, then the worker's number. */
export const workerCopyPrefix = (url: string) => `${databaseName(url)}_worker_`;
