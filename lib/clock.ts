/**
 * The time the domain acts at. Real time in the app; tests that drive runs
 * with the local executor's manual clock install that clock here, so that
 * sends, delays and enrollments all agree on "now".
 */
export type Clock = { now(): number };

let clock: Clock = { now: () => Date.now() };

export function now(): Date {
  return new Date(clock.now());
}

export function setClock(next: Clock | null): void {
  clock = next ?? { now: () => Date.now() };
}
