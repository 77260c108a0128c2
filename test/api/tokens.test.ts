// API tokens are recorded, listed and revocable: POST/GET/DELETE /api/v1/tokens,
// and the rule that a long-lived token must be one the node recorded and
// nobody revoked, while a short one (the CLI's own, for one command) needs no record.
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/auth/tokens.ts";
import { expectProblem, expectStatus, reply } from "../support/api.ts";
import { startNode, type TestNode } from "../support/network.ts";

describe("API tokens: create, list, revoke", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  /** The node's tokens as an admin lists them, newest first. */
  async function tokens() {
    const res = await reply(node.client().tokens.$get());
    expectStatus(res, 200);
    return res.body.items;
  }

  /** GET /node with `token`, as its status. */
  async function nodeStatus(token: string): Promise<number> {
    return (await reply(node.client(token).node.$get())).status;
  }

  it("records a token it makes, accepts it for its scope, notes its use and refuses it once revoked", async () => {
    const api = node.client();
    const made = await reply(api.tokens.$post({ json: { name: "inventory-sync", scopes: ["read"], expires: "90d" } }));
    expectStatus(made, 201);
    const { id, token } = made.body;
    expect(decodeJwt(token)).toMatchObject({ jti: id, sub: "inventory-sync", scope: "read", iss: node.origin });
    expect(made.body.scopes).toEqual(["read"]);
    expect(Date.parse(made.body.expiresAt!) - Date.now()).toBeGreaterThan(89 * 86400_000);

    let listed = (await tokens()).find((t) => t.id === id);
    expect(listed).toMatchObject({ name: "inventory-sync", scopes: ["read"], state: "active", lastUsedAt: null });

    expect(await nodeStatus(token)).toBe(200);
    expect((await reply(node.client(token).node.$patch({ json: { summary: "no" } }))).status).toBe(403);
    listed = (await tokens()).find((t) => t.id === id);
    expect(listed?.lastUsedAt).not.toBeNull();
    const firstUse = listed?.lastUsedAt;
    // A second use within the minute writes nothing.
    expect(await nodeStatus(token)).toBe(200);
    listed = (await tokens()).find((t) => t.id === id);
    expect(listed?.lastUsedAt).toBe(firstUse);

    expect((await reply(api.tokens[":id"].$delete({ param: { id } }))).status).toBe(204);
    const refused = await reply(node.client(token).node.$get());
    expect(expectProblem(refused, 401).detail).toBe("The API token is invalid, expired or revoked.");
    listed = (await tokens()).find((t) => t.id === id);
    expect(listed).toMatchObject({ state: "revoked" });
    expect(listed?.revokedAt).not.toBeNull();
    // Revoking again changes nothing; an unknown or malformed id is 404 / 400.
    expect((await reply(api.tokens[":id"].$delete({ param: { id } }))).status).toBe(204);
    expect((await reply(api.tokens[":id"].$delete({ param: { id: crypto.randomUUID() } }))).status).toBe(404);
    expect((await reply(api.tokens[":id"].$delete({ param: { id: "nope" } }))).status).toBe(400);
  });

  it("makes tokens that never expire when asked, and lists newest first", async () => {
    const forever = await reply(
      node.client().tokens.$post({ json: { name: "accounts", scopes: ["write", "read"], expires: "never" } }),
    );
    expectStatus(forever, 201);
    expect(forever.body.expiresAt).toBeNull();
    expect(decodeJwt(forever.body.token).exp).toBeUndefined();
    const patched = await reply(node.client(forever.body.token).node.$patch({ json: { summary: "Yarn" } }));
    expect(patched.status).toBe(200);
    const items = await tokens();
    expect(items[0]).toMatchObject({ id: forever.body.id, name: "accounts", expiresAt: null, state: "active" });
  });

  it("refuses a bad request with every field named, and stores nothing", async () => {
    const api = node.client();
    const before = (await tokens()).length;
    const soon = { name: " ", scopes: ["root"], expires: "soon" };
    const bad = expectProblem(await reply(api.tokens.$post({ json: soon })), 400);
    expect((bad.errors ?? []).map((e) => e.field).sort()).toEqual(["expires", "name", "scopes"]);
    const none = await reply(api.tokens.$post({ json: { name: "x", scopes: [] } }));
    expect(none.status).toBe(400);
    expect((await tokens()).length).toBe(before);
  });

  it("lets only admin tokens see, make and revoke tokens", async () => {
    const write = node.client(await node.token(["write"]));
    expect((await reply(write.tokens.$get())).status).toBe(403);
    expect((await reply(write.tokens.$post({ json: { name: "w", scopes: ["admin"] } }))).status).toBe(403);
    const made = await reply(node.client().tokens.$post({ json: { name: "victim", scopes: ["read"] } }));
    expectStatus(made, 201);
    expect((await reply(write.tokens[":id"].$delete({ param: { id: made.body.id } }))).status).toBe(403);
    expect(await nodeStatus(made.body.token)).toBe(200);
  });

  it("accepts an unrecorded token of at most an hour (the CLI's), and refuses a longer one it never recorded", async () => {
    const secret = node.node.deps.secret;
    const mint = (expiresInSeconds: number | null) =>
      createToken(secret, { issuer: node.origin, scopes: ["admin"], expiresInSeconds, subject: "cli" });
    expect(await nodeStatus(await mint(300))).toBe(200);
    expect(await nodeStatus(await mint(3600))).toBe(200);
    expect(await nodeStatus(await mint(3601))).toBe(401);
    expect(await nodeStatus(await mint(null))).toBe(401);
    // Short-lived ones are not listed: there is nothing to revoke.
    expect((await tokens()).map((t) => t.name)).not.toContain("cli");
  });
});
