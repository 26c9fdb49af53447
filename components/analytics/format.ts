/** "12.5%", or "–" when there is nothing to divide by. */
export function formatRate(rate: number | null): string {
  if (rate === null) return "–";
  const percent = rate * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

export const formatCount = (n: number) => n.toLocaleString("en");

export const MACHINE_REASON_WORDS: Record<string, string> = {
  head_request: "a HEAD request (link checker)",
  no_user_agent: "no user agent",
  bot_user_agent: "a bot or security scanner",
  apple_privacy_proxy: "Apple Mail Privacy Protection",
  too_fast: "within seconds of sending (link scanner)",
};
