/**
 * Set-based data generation (INSERT ... SELECT generate_series): hundreds of
 * thousands of rows in seconds, with the same shapes the app writes.
 */
import type pg from "pg";

// Names spread like a real list's: the most common first name is under 2%
// of contacts (ten names for 100,000 people would make every search match
// tens of thousands).
const FIRST_NAMES = [
  "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Maria", "Wei", "Aisha", "Lars",
  "Sofia", "Mateo", "Chloe", "Noah", "Amara", "Yuki", "Omar", "Ingrid", "Priya", "Diego", "Fatima", "Liam", "Hana", "Tomas",
  "Zara", "Elena", "Kofi", "Mei", "Ravi", "Nora", "Pablo", "Leila", "Sven", "Anya", "Jonas", "Carmen", "Ahmed", "Greta",
  "Luis", "Nadia", "Oskar", "Rosa", "Samir", "Tara", "Ugo", "Vera", "Wanda", "Xavier", "Yara", "Zeno", "Bruno", "Clara",
  "Dmitri", "Esme", "Felix", "Gloria",
];
const LAST_NAMES = [
  "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Thompson", "Garcia", "Chen",
  "Okafor", "Nilsson", "Rossi", "Silva", "Dubois", "Kim", "Mensah", "Tanaka", "Haddad", "Berg", "Sharma", "Lopez", "Khan",
  "Murphy", "Sato", "Novak", "Ali", "Petrov", "Owusu", "Wang", "Patel", "Larsen", "Fernandez", "Nasser", "Johansson",
  "Ivanova", "Weber", "Moreno", "Hassan", "Schmidt", "Costa", "Rahman", "Lindqvist", "Ortiz", "Yilmaz", "Kowalski", "Nguyen",
  "Adeyemi", "Bianchi", "Cohen", "Duarte", "Eriksen", "Fischer", "Gomez", "Horvat", "Iqbal", "Jensen", "Keller",
];

/** `count` subscribed contacts named bench-<prefix>-<n>@example.com, created over the last year. */
export async function insertContacts(client: pg.Pool | pg.Client | pg.PoolClient, count: number, prefix = "c"): Promise<void> {
  await client.query(
    `INSERT INTO "Contact" ("id", "email", "firstName", "lastName", "leadScore", "createdAt", "updatedAt")
     SELECT gen_random_uuid()::text,
            'bench-' || $2 || '-' || i || '@example' || (i % 97) || '.com',
            ($3::text[])[1 + (i::bigint * 7919) % cardinality($3::text[])],
            ($4::text[])[1 + (i::bigint * 104729 / 7) % cardinality($4::text[])],
            (i * 7919) % 1000,
            now() - make_interval(secs => ((i * 317) % 31536000)::int),
            now()
     -- bigint: at a million contacts i * 7919 no longer fits an int4.
     FROM generate_series(1, $1::bigint) AS i`,
    [count, prefix, FIRST_NAMES, LAST_NAMES],
  );
}

/** A sequence with `steps` steps (the first due immediately, the rest a day apart). */
export async function insertSequence(
  client: pg.Pool | pg.Client | pg.PoolClient,
  input: { name: string; steps: number; status?: string; stepDelay?: { amount: number; unit: "minutes" | "hours" | "days" } },
): Promise<{ id: string; stepIds: string[] }> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "Sequence" ("id", "name", "status", "updatedAt") VALUES (gen_random_uuid()::text, $1, $2::"SequenceStatus", now()) RETURNING "id"`,
    [input.name, input.status ?? "active"],
  );
  const id = rows[0].id;
  const delay = input.stepDelay ?? { amount: 1, unit: "days" };
  const steps = await client.query<{ id: string }>(
    `INSERT INTO "SequenceStep" ("id", "sequenceId", "position", "delayAmount", "delayUnit", "subject", "body", "updatedAt")
     SELECT gen_random_uuid()::text, $1, p, CASE WHEN p = 0 THEN 0 ELSE $3 END, $4::"DelayUnit",
            'Step ' || (p + 1) || ' for {{firstName}}', 'Hello {{firstName}}, this is step ' || (p + 1) || '.', now()
     FROM generate_series(0, $2::int - 1) AS p ORDER BY p RETURNING "id"`,
    [id, input.steps, delay.amount, delay.unit],
  );
  return { id, stepIds: steps.rows.map((r) => r.id) };
}
