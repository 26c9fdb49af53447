/**
 * Tells machine traffic on the tracking URLs from people (docs/tracking.md).
 * Pure. A machine open or click is recorded, marked with the first reason
 * that applies, and never counted as a person's:
 *  - head_request         HEAD: link checkers look, people's browsers GET
 *  - no_user_agent        nothing a browser or mail client would send
 *  - bot_user_agent       a crawler, HTTP library or security scanner by name
 *  - apple_privacy_proxy  opens only: Apple Mail Privacy Protection fetches
 *                         every image on delivery, whether or not the
 *                         message is read (UA exactly "Mozilla/5.0", or
 *                         Apple's 17.0.0.0/8 network)
 *  - too_fast             clicks only: within SCANNER_WINDOW_MS of the send,
 *                         what link-scanning gateways do on delivery. The
 *                         routes pass no send time (they have not read the
 *                         send yet): the recording statement (record.ts)
 *                         applies this rule with the same window.
 * The IP address is used for the Apple check and then dropped: it is never stored.
 */
import { isIP } from "node:net";

export type MachineReason = "head_request" | "no_user_agent" | "bot_user_agent" | "apple_privacy_proxy" | "too_fast";
export type Classification = { machine: false; reason: null } | { machine: true; reason: MachineReason };

/** A person reads, then clicks: a click this soon after sending is a scanner's. */
export const SCANNER_WINDOW_MS = 10_000;

/**
 * Names found in crawlers', HTTP libraries' and mail security gateways' user
 * agents. One alternation of literals: linear on any input.
 */
const BOT_USER_AGENT =
  /bot|crawl|spider|slurp|curl|wget|python|java\/|go-http-client|okhttp|axios|node-fetch|undici|libwww|httpclient|headless|phantom|scanner|barracuda|proofpoint|mimecast|urldefense|safelinks|symantec|trendmicro|fortinet|sophos|zscaler|cisco|ironport|microsoft office protocol discovery/i;

function inAppleNetwork(ip: string): boolean {
  return isIP(ip) === 4 && ip.startsWith("17.");
}

export function classifyRequest(input: {
  kind: "open" | "click";
  method: string;
  userAgent: string | null;
  /** Read for opens only (the Apple check); clicks need not work it out. */
  ip?: string;
  sentAt: Date | null;
  now: Date;
}): Classification {
  const ua = (input.userAgent ?? "").trim();
  if (input.method.toUpperCase() === "HEAD") return { machine: true, reason: "head_request" };
  if (!ua) return { machine: true, reason: "no_user_agent" };
  if (BOT_USER_AGENT.test(ua)) return { machine: true, reason: "bot_user_agent" };
  if (input.kind === "open" && (ua === "Mozilla/5.0" || (input.ip !== undefined && inAppleNetwork(input.ip)))) return { machine: true, reason: "apple_privacy_proxy" };
  if (input.kind === "click" && input.sentAt && input.now.getTime() - input.sentAt.getTime() < SCANNER_WINDOW_MS) return { machine: true, reason: "too_fast" };
  return { machine: false, reason: null };
}
