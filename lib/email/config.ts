/** Mail settings from the environment (README: Configuration). */
export function mailConfig() {
  const appUrl = (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");
  return {
    appUrl,
    from: process.env.MAIL_FROM ?? "Stepwise Demo <hello@stepwise.local>",
    senderName: process.env.MAIL_SENDER_NAME ?? "Stepwise Demo",
    /** CAN-SPAM requires a valid physical postal address in every message. */
    postalAddress: process.env.SENDER_POSTAL_ADDRESS ?? "Stepwise Demo, 1 Example Street, Springfield 00000, USA",
    messageIdDomain: process.env.MESSAGE_ID_DOMAIN ?? new URL(appUrl).hostname,
  };
}
