/**
 * Token buckets in memory (the service is one process): one per signer, checked after the signature is recovered
 * so that a forged key cannot spend another's budget, and a coarse one per IP address before recovery, against
 * floods of signatures to check.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `perSecond` tokens come back each second, up to `burst`. */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `who`: 0 when allowed, else the seconds to wait before the next one (Retry-After). */
  take(who: string): number {
    const now = this.now();
    const bucket = this.buckets.get(who) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(who, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.forgetIdle(now);
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }

  /** A full bucket is the same as none: dropped now and then, so that the map does not grow with every key seen. */
  private forgetIdle(now: number) {
    if (this.buckets.size < 10_000) return;
    for (const [who, bucket] of this.buckets)
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(who);
  }
}

/** The limits from the environment: GOVCHAIN_RATE_PER_KEY (default 20/s, burst twice that), GOVCHAIN_RATE_PER_IP. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const perKey = Number(env.GOVCHAIN_RATE_PER_KEY ?? 20);
  const perIp = Number(env.GOVCHAIN_RATE_PER_IP ?? 200);
  return { perKey: new RateLimiter(perKey, 2 * perKey), perIp: new RateLimiter(perIp, 2 * perIp) };
}
