// API tokens are recorded, listed and revocable: POST/GET/DELETE /api/v1/tokens,
// and the rule that a long-lived token must be one the node recorded and
// nobody revoked, while a short one (the CLI's own, for one command) needs no record.
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/auth/tokens.ts";
import { startNode, type TestNode } from "../support/network.ts";

describe("API tokens: create, list, revoke", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  it("records a token it makes, accepts it for its scope, notes its use and refuses it once revoked", async () => {
    const made = await node.api("POST", "/tokens", { name: "inventory-sync", scopes: ["read"], expires: "90d" });
    expect(made.status).toBe(201);
    const { id, token } = made.body;
    expect(decodeJwt(token)).toMatchObject({ jti: id, sub: "inventory-sync", scope: "read", iss: node.origin });
    expect(made.body.scopes).toEqual(["read"]);
    expect(Date.parse(made.body.expiresAt) - Date.now()).toBeGreaterThan(89 * 86400_000);

    let listed = (await node.api("GET", "/tokens")).body.items.find((t: { id: string }) => t.id === id);
    expect(listed).toMatchObject({ name: "inventory-sync", scopes: ["read"], state: "active", lastUsedAt: null });

    expect((await node.api("GET", "/node", undefined, { token })).status).toBe(200);
    expect((await node.api("PATCH", "/node", { summary: "no" }, { token })).status).toBe(403);
    listed = (await node.api("GET", "/tokens")).body.items.find((t: { id: string }) => t.id === id);
    expect(listed.lastUsedAt).not.toBeNull();
    const firstUse = listed.lastUsedAt;
    // A second use within the minute writes nothing.
    expect((await node.api("GET", "/node", undefined, { token })).status).toBe(200);
    listed = (await node.api("GET", "/tokens")).body.items.find((t: { id: string }) => t.id === id);
    expect(listed.lastUsedAt).toBe(firstUse);

    expect((await node.api("DELETE", `/tokens/${id}`)).status).toBe(204);
    const refused = await node.api("GET", "/node", undefined, { token });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe("The API token is invalid, expired or revoked.");
    listed = (await node.api("GET", "/tokens")).body.items.find((t: { id: string }) => t.id === id);
    expect(listed).toMatchObject({ state: "revoked" });
    expect(listed.revokedAt).not.toBeNull();
    // Revoking again changes nothing; an unknown or malformed id is 404 / 400.
    expect((await node.api("DELETE", `/tokens/${id}`)).status).toBe(204);
    expect((await node.api("DELETE", `/tokens/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await node.api("DELETE", "/tokens/nope")).status).toBe(400);
  });

  it("makes tokens that never expire when asked, and lists newest first", async () => {
    const forever = await node.api("POST", "/tokens", {
      name: "accounts",
      scopes: ["write", "read"],
      expires: "never",
    });
    expect(forever.status).toBe(201);
    expect(forever.body.expiresAt).toBeNull();
    expect(decodeJwt(forever.body.token).exp).toBeUndefined();
    expect((await node.api("PATCH", "/node", { summary: "Yarn" }, { token: forever.body.token })).status).toBe(200);
    const items = (await node.api("GET", "/tokens")).body.items;
    expect(items[0]).toMatchObject({ id: forever.body.id, name: "accounts", expiresAt: null, state: "active" });
  });

  it("refuses a bad request with every field named, and stores nothing", async () => {
    const before = (await node.api("GET", "/tokens")).body.items.length;
    const bad = await node.api("POST", "/tokens", { name: " ", scopes: ["root"], expires: "soon" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["expires", "name", "scopes"]);
    const none = await node.api("POST", "/tokens", { name: "x", scopes: [] });
    expect(none.status).toBe(400);
    expect((await node.api("GET", "/tokens")).body.items.length).toBe(before);
  });

  it("lets only admin tokens see, make and revoke tokens", async () => {
    const write = await node.token(["write"]);
    expect((await node.api("GET", "/tokens", undefined, { token: write })).status).toBe(403);
    expect((await node.api("POST", "/tokens", { name: "w", scopes: ["admin"] }, { token: write })).status).toBe(403);
    const made = await node.api("POST", "/tokens", { name: "victim", scopes: ["read"] });
    expect((await node.api("DELETE", `/tokens/${made.body.id}`, undefined, { token: write })).status).toBe(403);
    expect((await node.api("GET", "/node", undefined, { token: made.body.token })).status).toBe(200);
  });

  it("accepts an unrecorded token of at most an hour (the CLI's), and refuses a longer one it never recorded", async () => {
    const secret = node.node.deps.secret;
    const mint = (expiresInSeconds: number | null) =>
      createToken(secret, { issuer: node.origin, scopes: ["admin"], expiresInSeconds, subject: "cli" });
    expect((await node.api("GET", "/node", undefined, { token: await mint(300) })).status).toBe(200);
    expect((await node.api("GET", "/node", undefined, { token: await mint(3600) })).status).toBe(200);
    expect((await node.api("GET", "/node", undefined, { token: await mint(3601) })).status).toBe(401);
    expect((await node.api("GET", "/node", undefined, { token: await mint(null) })).status).toBe(401);
    // Short-lived ones are not listed: there is nothing to revoke.
    const names = (await node.api("GET", "/tokens")).body.items.map((t: { name: string }) => t.name);
    expect(names).not.toContain("cli");
  });
});
