/**
 * bcryptjs that remembers its answers, for test files that call the
 * password actions hundreds of times with the same few passwords. The app's
 * cost (12) stays: a hash is still made by bcryptjs at that cost, once per
 * (password, cost), and a comparison is still bcryptjs's, once per
 * (password, hash). A remembered hash is one a fresh salt could have given,
 * and a comparison is a pure function, so what the code under test sees is
 * what it would see otherwise, only sooner: each cost-12 hash took about half
 * a second of a loaded core, and the authorization matrix made 30 of them.
 *
 * Usage (vi.mock is hoisted per file):
 *   vi.mock("bcryptjs", async (original) => (await import("../support/remembered-bcrypt")).rememberingBcrypt(await original()));
 */
type Bcrypt = typeof import("bcryptjs");

export function rememberingBcrypt(module: Bcrypt): Bcrypt {
  const real = (module as Bcrypt & { default?: Bcrypt }).default ?? module;
  const hashes = new Map<string, Promise<string>>();
  const comparisons = new Map<string, Promise<boolean>>();
  const syncHashes = new Map<string, string>();
  const remember = <T>(memory: Map<string, T>, key: string, make: () => T): T => {
    if (!memory.has(key)) memory.set(key, make());
    return memory.get(key)!;
  };
  const bcrypt = {
    ...real,
    // Only a cost is remembered; a caller's own salt string is passed through.
    hash: ((password: string, salt: number | string, ...callback: unknown[]) =>
      typeof salt === "number" && callback.length === 0
        ? remember(hashes, `${salt}\0${password}`, () => real.hash(password, salt))
        : (real.hash as (...args: unknown[]) => unknown)(password, salt, ...callback)) as Bcrypt["hash"],
    hashSync: (password: string, salt?: number | string) =>
      typeof salt === "number" ? remember(syncHashes, `${salt}\0${password}`, () => real.hashSync(password, salt)) : real.hashSync(password, salt),
    compare: ((password: string, hash: string, ...callback: unknown[]) =>
      callback.length === 0
        ? remember(comparisons, `${hash}\0${password}`, () => real.compare(password, hash))
        : (real.compare as (...args: unknown[]) => unknown)(password, hash, ...callback)) as Bcrypt["compare"],
  } as Bcrypt;
  return { ...bcrypt, default: bcrypt } as Bcrypt;
}
