/**
 * A small in-memory limiter for the anonymous joining form: at most `limit` submissions per
 * client address in a sliding window. Per process: several instances behind a load balancer
 * each count their own share. The address is Fastify's req.ip: behind a reverse proxy (trustProxy)
 * the address from X-Forwarded-For, so that proxy must overwrite the header, not append to it.
 */
export interface RateLimiter {
  /** records one attempt; false when the address is over its limit */
  hit(key: string, now?: number): boolean
  reset(): void
}

export function rateLimiter(limit: number, windowMs: number): RateLimiter {
  const seen = new Map<string, number[]>()
  let calls = 0
  return {
    hit(key, now = Date.now()) {
      // now and then drop addresses whose window has passed, so the map cannot grow without bound
      if (++calls % 1000 === 0) for (const [k, v] of seen) if (v[v.length - 1]! <= now - windowMs) seen.delete(k)
      const recent = (seen.get(key) ?? []).filter((t) => t > now - windowMs)
      if (recent.length >= limit) {
        seen.set(key, recent)
        return false
      }
      recent.push(now)
      seen.set(key, recent)
      return true
    },
    reset() {
      seen.clear()
    },
  }
}
