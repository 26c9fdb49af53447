import type { PendingCall, Run } from "./run";

/**
 * What is due next, across every run, without visiting every run: the
 * executor keeps thousands of runs (finished ones too), and scanning them all
 * on each request made its bookkeeping grow with the square of the runs.
 * Both queues drop stale entries lazily, when they reach the top.
 */

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let first = i;
      if (left < items.length && this.before(items[left], items[first])) first = left;
      if (right < items.length && this.before(items[right], items[first])) first = right;
      if (first === i) break;
      [items[i], items[first]] = [items[first], items[i]];
      i = first;
    }
    return top;
  }
}

type QueuedCall = { run: Run; call: PendingCall };

/**
 * Every run's pending calls, earliest first, then in the order they were
 * scheduled. `run.pending` stays the truth: an entry whose call it no longer
 * holds (the run ended, or the call was taken) is dropped.
 */
export class CallQueue {
  private readonly heap = new MinHeap<QueuedCall>(
    (a, b) => a.call.dueAt < b.call.dueAt || (a.call.dueAt === b.call.dueAt && a.call.seq < b.call.seq),
  );

  add(run: Run, call: PendingCall): void {
    this.heap.push({ run, call });
  }

  /**
   * Takes the earliest call due at `now` whose step is not already in flight
   * for its run and that `canStart` (a free concurrency slot, a throttle
   * slot), and removes it from the run's pending calls. `canStart` answers
   * true, false (blocked until something finishes) or the time from which
   * the call may start: it is then due again at that time.
   */
  takeDue(now: number, canStart: (run: Run, call: PendingCall) => boolean | number = () => true): QueuedCall | undefined {
    const blocked: QueuedCall[] = [];
    let taken: QueuedCall | undefined;
    for (let top = this.peekPending(); top && top.call.dueAt <= now; top = this.peekPending()) {
      this.heap.pop();
      const verdict = top.run.inFlight.has(top.call.stepId) ? false : canStart(top.run, top.call);
      if (typeof verdict === "number" && verdict > now) top.call.dueAt = verdict;
      if (verdict !== true) {
        blocked.push(top);
        continue;
      }
      taken = top;
      break;
    }
    for (const entry of blocked) this.heap.push(entry);
    if (taken) taken.run.pending.splice(taken.run.pending.indexOf(taken.call), 1);
    return taken;
  }

  /** When the earliest pending call is due (Infinity if none). */
  nextAt(): number {
    return this.peekPending()?.call.dueAt ?? Number.POSITIVE_INFINITY;
  }

  private peekPending(): QueuedCall | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (top.run.isActive && top.run.pending.includes(top.call)) return top;
      this.heap.pop();
    }
    return undefined;
  }
}

type TimerEntry = { at: number; run: Run };

/**
 * Runs with a sleep, wait timeout or invoke timeout, by their earliest one.
 * Each run has at most one current entry, no later than its earliest timer:
 * `track()` after adding timers; removing one only makes the earliest later,
 * and an entry found not to match is replaced when it reaches the top.
 */
export class TimerIndex {
  private readonly heap = new MinHeap<TimerEntry>((a, b) => a.at < b.at);
  private readonly current = new Map<Run, TimerEntry>();

  /** Call after a run's timers were added to (or looked at, to re-enter what is left). */
  track(run: Run): void {
    const at = run.isActive ? run.nextTimerAt() : Number.POSITIVE_INFINITY;
    const entry = this.current.get(run);
    if (entry?.at === at) return;
    if (at === Number.POSITIVE_INFINITY) {
      this.current.delete(run);
      return;
    }
    const next = { at, run };
    this.current.set(run, next);
    this.heap.push(next);
  }

  /**
   * The active runs that may have a timer due at `now`, in the order they
   * started (the order the executor has always visited runs in). They leave
   * the index: `track()` each one after ending its due timers.
   */
  takeDue(now: number): Run[] {
    const due: Run[] = [];
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      if (this.current.get(top.run) !== top) continue;
      this.current.delete(top.run);
      if (top.run.isActive) due.push(top.run);
    }
    return due.sort((a, b) => a.index - b.index);
  }

  /** When the earliest timer of any active run ends (Infinity if none). */
  nextAt(): number {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      const { run } = top;
      if (this.current.get(run) === top && run.isActive && run.nextTimerAt() === top.at) return top.at;
      this.heap.pop();
      if (this.current.get(run) !== top) continue;
      this.current.delete(run);
      this.track(run);
    }
    return Number.POSITIVE_INFINITY;
  }
}
