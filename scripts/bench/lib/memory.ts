/** Peak resident memory of this process, sampled every 50 ms. */
export type MemorySampler = { peakMb: () => number; stop: () => number };

export function sampleMemory(intervalMs = 50): MemorySampler {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  const peakMb = () => Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
  return {
    peakMb,
    stop: () => {
      clearInterval(timer);
      return peakMb();
    },
  };
}
