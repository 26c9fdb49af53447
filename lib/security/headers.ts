/**
 * The security headers of every response, set in one place (proxy.ts).
 * Scripts run only with the per-request nonce ('strict-dynamic' lets the
 * scripts Next loads with it load their chunks); nothing may frame the app.
 */

/** Paths whose URL carries a secret token: never sent on as a Referer. */
const TOKEN_PATHS = [/^\/unsubscribe\//, /^\/api\/unsubscribe\//, /^\/signup\/confirm\//, /^\/[ro]\//];

/** A fresh nonce for one response (128 random bits, base64). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    // React's development build evaluates code for its debugging aids; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Styles cannot run code, and the UI needs inline ones: Radix's scroll lock
    // (react-remove-scroll) injects <style> elements without a nonce, and
    // components set style attributes (progress bars, popover positions).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws:" : ""}`,
    // The Sent mail preview is a srcdoc iframe (same origin, sandboxed, with its own policy).
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * The policy inside the Sent mail preview: a message may show its own
 * inline styles and embedded images, and nothing else (no scripts, no
 * requests that would tell a tracker the message was opened by an admin).
 */
export const MAIL_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function securityHeaders(input: { pathname: string; csp: string; https: boolean }): Record<string, string> {
  return {
    "Content-Security-Policy": input.csp,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": TOKEN_PATHS.some((p) => p.test(input.pathname)) ? "no-referrer" : "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(input.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Is the app served over https (APP_URL)? Decides HSTS and upgrade-insecure-requests. */
export function servedOverHttps(): boolean {
  return (process.env.APP_URL ?? "").toLowerCase().startsWith("https://");
}
