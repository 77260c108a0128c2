// The token bucket behind the rate limits: a minute's allowance at once,
// refilled steadily, each key on its own, and a flood keeps itself waiting.
import { describe, expect, it } from "vitest";
import { nestingDepth, signerHost } from "../../src/federation/inbox-limits.ts";
import { RateLimiter } from "../../src/http/rate-limit.ts";

describe("RateLimiter", () => {
  it("allows a burst of a minute's allowance, then one more as each share refills", () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(10);
    expect(limiter.take("b")).toBe(0);
    now += 5_000;
    expect(limiter.take("a")).toBe(5);
    now += 5_000;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(10);
  });

  it("keeps counting what is charged over the limit, down to a minute's worth", () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 500; i++) limiter.charge("flood");
    expect(limiter.wait("flood")).toBe(61);
    now += 61_000;
    expect(limiter.wait("flood")).toBe(0);
  });
});

describe("inbox limit helpers", () => {
  it("measures nesting without recursion, however deep", () => {
    expect(nestingDepth("x")).toBe(0);
    expect(nestingDepth({ a: [1, { b: 2 }] })).toBe(3);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep)).toBe(100_000);
  });

  it("reads the signer's host from either signature header", () => {
    const cavage = new Request("https://n.example/inbox", {
      headers: { signature: 'keyId="https://Knit.example:8443/coops/coop#main-key",signature="x"' },
    });
    const rfc9421 = new Request("https://n.example/inbox", {
      headers: { "signature-input": 'sig1=("@method");keyid="https://dye.example/coops/coop#key"' },
    });
    expect(signerHost(cavage)).toBe("knit.example:8443");
    expect(signerHost(rfc9421)).toBe("dye.example");
    expect(signerHost(new Request("https://n.example/inbox"))).toBeNull();
  });
});
