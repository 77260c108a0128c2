import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("loadConfig", () => {
  it("defaults to a local trial node on port 8080 with PGlite in ./data", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      origin: "http://localhost:8080",
      handle: "coop",
      dataDir: "./data",
      followApproval: "auto",
      logLevel: "info",
      allowPrivateAddresses: true,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it("derives the origin from PORT and normalises WEFT_ORIGIN", () => {
    expect(loadConfig({ PORT: "9000" }).origin).toBe("http://localhost:9000");
    expect(loadConfig({ WEFT_ORIGIN: "https://knit.example/" }).origin).toBe("https://knit.example");
  });

  it("refuses private addresses by default for a public origin, unless allowed", () => {
    expect(loadConfig({ WEFT_ORIGIN: "https://knit.example" }).allowPrivateAddresses).toBe(false);
    expect(
      loadConfig({ WEFT_ORIGIN: "https://knit.example", WEFT_ALLOW_PRIVATE_ADDRESSES: "true" }).allowPrivateAddresses,
    ).toBe(true);
    expect(loadConfig({ WEFT_ORIGIN: "http://127.0.0.1:8080" }).allowPrivateAddresses).toBe(true);
    expect(
      loadConfig({ WEFT_ORIGIN: "http://localhost:8080", WEFT_ALLOW_PRIVATE_ADDRESSES: "false" }).allowPrivateAddresses,
    ).toBe(false);
  });

  it("reads WEFT_KEY_GRACE as a duration, 7 days by default, and refuses nonsense", () => {
    expect(loadConfig({}).keyGraceSeconds).toBe(7 * 86400);
    expect(loadConfig({ WEFT_KEY_GRACE: "36h" }).keyGraceSeconds).toBe(36 * 3600);
    expect(loadConfig({ WEFT_KEY_GRACE: "45s" }).keyGraceSeconds).toBe(45);
    for (const bad of ["7", "7w", "-1d", "soon"]) {
      expect(() => loadConfig({ WEFT_KEY_GRACE: bad })).toThrow(/WEFT_KEY_GRACE: must be a duration/);
    }
  });

  it("reads WEFT_FAULT (crash tests) as <point>:<unit>, and refuses anything else", () => {
    expect(loadConfig({}).fault).toBeUndefined();
    expect(loadConfig({ WEFT_FAULT: "before-commit:publishListing" }).fault).toBe("before-commit:publishListing");
    expect(loadConfig({ WEFT_FAULT: "handling:queue" }).fault).toBe("handling:queue");
    for (const bad of ["publishListing", "sometime:publishListing", "after-commit:"]) {
      expect(() => loadConfig({ WEFT_FAULT: bad })).toThrow(/WEFT_FAULT: must be/);
    }
  });

  it("reads WEFT_HTTP_TIMEOUT in seconds, 30 by default, and refuses nonsense", () => {
    expect(loadConfig({}).httpTimeoutMs).toBe(30_000);
    expect(loadConfig({ WEFT_HTTP_TIMEOUT: "5" }).httpTimeoutMs).toBe(5_000);
    for (const bad of ["0", "601", "2.5", "soon"]) {
      expect(() => loadConfig({ WEFT_HTTP_TIMEOUT: bad })).toThrow(/WEFT_HTTP_TIMEOUT: must be/);
    }
  });

  it("reads the limits, with defaults, 0 turning a rate limit off, and refuses nonsense", () => {
    const defaults = loadConfig({});
    expect(defaults.rateLimits).toEqual({ api: 1200, inboxAddress: 3000, inboxServer: 1200 });
    expect(defaults.activityLimits).toEqual({ maxBytes: 256_000, maxDepth: 32, maxOrderLines: 500 });
    expect(defaults.deliveriesPerHost).toBe(4);
    expect(loadConfig({ WEFT_RATE_LIMIT_API: "0" }).rateLimits.api).toBe(0);
    for (const [name, bad] of [
      ["WEFT_RATE_LIMIT_INBOX", "-1"],
      ["WEFT_RATE_LIMIT_INBOX_SERVER", "lots"],
      ["WEFT_ACTIVITY_MAX_BYTES", "2000000"],
      ["WEFT_ACTIVITY_MAX_DEPTH", "2"],
      ["WEFT_ORDER_MAX_LINES", "0"],
      ["WEFT_DELIVERIES_PER_HOST", "1.5"],
    ]) {
      expect(() => loadConfig({ [name as string]: bad }), name).toThrow(new RegExp(`${name}: must be`));
    }
  });

  it("selects PostgreSQL only for a postgres:// DATABASE_URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@db/weft" }).databaseUrl).toBe("postgres://u@db/weft");
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });

  it("reports every bad variable at once", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        WEFT_ORIGIN: "ftp://knit.example",
        WEFT_HANDLE: "has spaces",
        DATABASE_URL: "mysql://x",
        WEFT_FOLLOW_APPROVAL: "sometimes",
        LOG_LEVEL: "loud",
        WEFT_ALLOW_PRIVATE_ADDRESSES: "perhaps",
        WEFT_SECRET: "short",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(":")[0]);
    expect(problems.sort()).toEqual(
      [
        "DATABASE_URL",
        "LOG_LEVEL",
        "PORT",
        "WEFT_ALLOW_PRIVATE_ADDRESSES",
        "WEFT_FOLLOW_APPROVAL",
        "WEFT_HANDLE",
        "WEFT_ORIGIN",
        "WEFT_SECRET",
      ].sort(),
    );
  });
});
