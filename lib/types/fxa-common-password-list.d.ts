declare module "fxa-common-password-list" {
  /** Whether `password` is on Firefox Accounts' list of common passwords (exact match). */
  const list: { test(password: string): boolean };
  export default list;
}
