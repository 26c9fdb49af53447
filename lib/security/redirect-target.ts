/**
 * The one check every redirect to a caller-supplied target goes through
 * (sign-in's callbackUrl, Auth.js's redirect callback, and any later
 * ?next= / invite / reset / tracking redirect). The target is parsed with
 * the WHATWG URL parser, as a browser would, against the app's own URL:
 * browsers turn many strings that start with "/" ("/\evil.example",
 * "/\t/evil.example", "/%2F..." after decoding) into another origin, so a
 * prefix check is not enough. The answer is always an absolute URL on the
 * app's origin: a path like "//evil.example" is never handed back as a
 * relative redirect.
 */

/** The app's origin: APP_URL, or the request's own origin when APP_URL is unset (development). */
export function appOrigin(fallbackOrigin?: string): string {
  const configured = process.env.APP_URL;
  try {
    return new URL(configured || fallbackOrigin || "http://localhost:3000").origin;
  } catch {
    return new URL(fallbackOrigin || "http://localhost:3000").origin;
  }
}

/**
 * `target` resolved against the app's origin when it stays on that origin,
 * else `fallback` (a path of the app). Non-strings, over-long values and
 * control characters go to the fallback too.
 */
export function safeRedirectTarget(target: unknown, fallback: string, origin: string = appOrigin()): string {
  const home = new URL(fallback, origin).href;
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return home;
  // Browsers strip tabs and newlines inside URLs; refuse them rather than guess.
  if (/[\u0000-\u001F\u007F]/.test(target)) return home;
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return home;
  }
  if (url.origin !== origin || url.username || url.password) return home;
  return url.href;
}
