import bcrypt from "bcryptjs";

const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * A hash to compare against when the email is unknown, so that a sign-in
 * for a missing user costs as much as one with a wrong password.
 */
export const TIMING_DUMMY_HASH = bcrypt.hashSync("stepwise-timing-equaliser", COST);
