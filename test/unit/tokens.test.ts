import { describe, expect, it } from "vitest";
import { createToken, hasScope, needsRecord, parseExpiry, verifyToken } from "../../src/auth/tokens.ts";

const SECRET = "a-secret-that-is-long-enough-for-hs256-tests";

describe("API tokens", () => {
  it("round-trips scopes and rejects other issuers and secrets", async () => {
    const token = await createToken(SECRET, { issuer: "https://a.example", scopes: ["read"], expiresInSeconds: 60 });
    const claims = await verifyToken(SECRET, "https://a.example", token);
    expect([...(claims?.scopes ?? [])]).toEqual(["read"]);
    expect(await verifyToken(SECRET, "https://b.example", token)).toBeNull();
    expect(await verifyToken(`${SECRET}x`, "https://a.example", token)).toBeNull();
  });

  it("carries its id and lifetime; only a token of more than an hour, or without expiry, needs a record", async () => {
    const issuer = "https://a.example";
    const id = crypto.randomUUID();
    const hour = await verifyToken(
      SECRET,
      issuer,
      await createToken(SECRET, { issuer, scopes: ["admin"], expiresInSeconds: 3600, id }),
    );
    expect(hour).toMatchObject({ id, lifetimeSeconds: 3600, subject: "cli" });
    expect(needsRecord(hour!)).toBe(false);
    const longer = await verifyToken(
      SECRET,
      issuer,
      await createToken(SECRET, { issuer, scopes: ["read"], expiresInSeconds: 3601 }),
    );
    expect(needsRecord(longer!)).toBe(true);
    const never = await verifyToken(
      SECRET,
      issuer,
      await createToken(SECRET, { issuer, scopes: ["read"], expiresInSeconds: null }),
    );
    expect(never?.lifetimeSeconds).toBeNull();
    expect(needsRecord(never!)).toBe(true);
  });

  it("orders scopes: admin ⊇ write ⊇ read", () => {
    expect(hasScope(new Set(["admin"]), "write")).toBe(true);
    expect(hasScope(new Set(["write"]), "read")).toBe(true);
    expect(hasScope(new Set(["read"]), "write")).toBe(false);
    expect(hasScope(new Set(["write"]), "admin")).toBe(false);
  });

  it("parses expiries", () => {
    expect(parseExpiry("30d")).toBe(30 * 86400);
    expect(parseExpiry("12h")).toBe(12 * 3600);
    expect(parseExpiry("never")).toBeNull();
    expect(parseExpiry("soon")).toBeUndefined();
    expect(parseExpiry("-1d")).toBeUndefined();
  });
});
