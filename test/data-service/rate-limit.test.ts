/**
 * The gated routes' token buckets: a burst is allowed, then one request per 1/rate seconds, each key (or address)
 * on its own budget, and the wait given as Retry-After seconds.
 */
import { expect } from "chai";

import { RateLimiter, limitsFromEnv } from "../../data-service/src/reads/rateLimit";

describe("rate limiter", function () {
  let clock: number;
  let limiter: RateLimiter;

  beforeEach(function () {
    clock = 1_000_000;
    limiter = new RateLimiter(2, 4, () => clock);
  });

  it("allows a burst, then refuses with the seconds to wait", function () {
    expect([1, 2, 3, 4].map(() => limiter.take("a"))).to.deep.equal([0, 0, 0, 0]);
    expect(limiter.take("a")).to.equal(1);
  });

  it("gives tokens back at its rate, never above the burst", function () {
    for (let i = 0; i < 4; i++) limiter.take("a");
    clock += 500; // one token at 2 per second
    expect(limiter.take("a")).to.equal(0);
    expect(limiter.take("a")).to.equal(1);
    clock += 60_000;
    expect([1, 2, 3, 4, 5].map(() => limiter.take("a"))).to.deep.equal([0, 0, 0, 0, 1]);
  });

  it("keeps each key's budget apart", function () {
    for (let i = 0; i < 4; i++) limiter.take("a");
    expect(limiter.take("a")).to.equal(1);
    expect(limiter.take("b")).to.equal(0);
  });

  it("reads its rates from the environment, a burst of twice the rate", function () {
    const { perKey, perIp } = limitsFromEnv({ GOVCHAIN_RATE_PER_KEY: "1", GOVCHAIN_RATE_PER_IP: "3" });
    expect([1, 2, 3].map(() => perKey.take("k"))).to.deep.equal([0, 0, 1]);
    expect(Array.from({ length: 7 }, () => perIp.take("ip")).filter((wait) => wait > 0)).to.have.length(1);
  });
});
