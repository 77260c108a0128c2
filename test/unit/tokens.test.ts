import { describe, expect, it } from "vitest";
import { createToken, hasScope, parseExpiry, verifyToken } from "../../src/auth/tokens.ts";

const SECRET = "a-secret-that-is-long-enough-for-hs256-tests";

describe("API tokens", () => {
  it("round-trips scopes and rejects other issuers and secrets", async () => {
    const token = await createToken(SECRET, { issuer: "https://a.example", scopes: ["read"], expiresInSeconds: 60 });
    const claims = await verifyToken(SECRET, "https://a.example", token);
    expect([...(claims?.scopes ?? [])]).toEqual(["read"]);
    expect(await verifyToken(SECRET, "https://b.example", token)).toBeNull();
    expect(await verifyToken(`${SECRET}x`, "https://a.example", token)).toBeNull();
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
