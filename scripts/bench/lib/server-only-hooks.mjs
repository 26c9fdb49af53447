// Node resolve hook: outside Next.js, "server-only" throws on import. The
// benchmarks run the app's route handlers in-process, like the tests do
// (vitest aliases it the same way), so it resolves to the package's no-op.
const EMPTY = new URL("../../../node_modules/server-only/empty.js", import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: EMPTY, shortCircuit: true };
  return next(specifier, context);
}
