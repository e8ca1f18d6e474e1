// Waiting before a retry. "Full jitter": a random wait up to a ceiling that doubles
// with each attempt, so that requests that failed together do not retry together.

export function jitteredBackoffMs(
  attempt: number,
  { baseMs, capMs }: { baseMs: number; capMs: number },
  random = Math.random,
) {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
