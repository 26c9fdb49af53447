import { inject } from "vitest";
import { createPrismaClient, type Db } from "../../lib/db/prisma";

let db: Db | undefined;

/** A Prisma client on the test database (created once per test file). */
export function testDb(): Db {
  db ??= createPrismaClient(inject("databaseUrl"), { poolSize: 25 });
  return db;
}

const TABLES = ["ConsentEvent", "InboundReply", "ApiKey", "RateLimit", "CaughtMessage", "EnrollmentEvent", "StepSend", "Enrollment", "SequenceTrigger", "SequenceStep", "Sequence", "ContactTag", "Tag", "Contact", "User"];

/** Empties every table (TRUNCATE bypasses the event log's no-DELETE trigger). */
export async function resetDb(client: Db = testDb()): Promise<void> {
  await client.$executeRawUnsafe(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY CASCADE`);
}
