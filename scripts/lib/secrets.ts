/**
 * Secrets for a self-hosted install: taken from the environment, or (for the
 * zero-configuration embedded set-up) generated once and kept in the data
 * directory, never in the repository.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function secretFromEnvOrFile(name: string, dataDir: string, log: (l: string) => void): string {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, `${name.toLowerCase()}.secret`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    log(`[start] ${name} not set: generated one in ${file}`);
  }
  return fs.readFileSync(file, "utf8").trim();
}
