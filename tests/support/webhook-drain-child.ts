/**
 * A separate process that drains the webhook outbox once, for the fault
 * suite to kill mid-attempt (tests/fault/webhook-crash.test.ts). Run with
 * `node --conditions=react-server --import tsx` (server-only resolves empty).
 */
import { createPrismaClient } from "../../lib/db/prisma";
import { drainWebhooks } from "../../lib/outbound-webhooks/drain";

const db = createPrismaClient(process.env.DATABASE_URL!, { poolSize: 2 });
const result = await drainWebhooks(db, { timeoutMs: 60_000 });
process.stdout.write(`${JSON.stringify(result)}\n`);
await db.$disconnect();
