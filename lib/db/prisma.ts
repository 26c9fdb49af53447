/**
 * Builds Prisma clients. Separate from client.ts (which is server-only and
 * holds the app's singleton) so that tests and scripts can make their own.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;
/** A client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(url: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}

/** True when `error` is a unique-constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export { Prisma };
