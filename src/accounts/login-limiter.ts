/**
 * Failed-login limiter, in process: at most `maxFailures` failures per (IP, e-mail) and 4× that per IP in a
 * sliding window. While limited, even a correct password is refused (429), so guessing cannot continue.
 * Several processes each keep their own counts: the limit per process holds, the sum is a multiple of it.
 */
export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: LoginLimiterOptions) {}

  /** @returns milliseconds until a new attempt is allowed, or 0 when it is allowed now. */
  retryAfter(ip: string, email: string, now: number): number {
    const pair = this.recent(`${ip}|${email}`, now);
    const perIp = this.recent(ip, now);
    const { maxFailures, windowMs } = this.options;
    const waits = [pair.length >= maxFailures ? pair[pair.length - maxFailures]! + windowMs - now : 0, perIp.length >= 4 * maxFailures ? perIp[perIp.length - 4 * maxFailures]! + windowMs - now : 0];
    return Math.max(0, ...waits);
  }

  recordFailure(ip: string, email: string, now: number): void {
    for (const key of [`${ip}|${email}`, ip]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  /** A successful login clears the pair's failures (not the IP's). */
  recordSuccess(ip: string, email: string): void {
    this.failures.delete(`${ip}|${email}`);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}
