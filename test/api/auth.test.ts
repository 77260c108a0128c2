import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem, expectStatus, reply } from "../support/api.ts";
import { startNode, type TestNode } from "../support/network.ts";

describe("API authentication and scopes", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  /** GET /node with `token` (null: none), as its status. */
  async function nodeStatus(token: string | null): Promise<number> {
    return (await reply(node.client(token).node.$get())).status;
  }

  it("answers 401 problem+json without a token", async () => {
    const res = await reply(node.client(null).node.$get());
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(expectProblem(res, 401)).toMatchObject({ status: 401, title: "Authentication required" });
  });

  it("answers 401 for a token signed with another secret, or expired, or for another node", async () => {
    const forged = await new SignJWT({ scope: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(node.origin)
      .setAudience("weft-api")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-secret-of-this-node-at-all!!"));
    expect(await nodeStatus(forged)).toBe(401);

    const secret = new TextEncoder().encode(node.node.deps.secret);
    const expired = await new SignJWT({ scope: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(node.origin)
      .setAudience("weft-api")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    expect(await nodeStatus(expired)).toBe(401);

    const otherIssuer = await new SignJWT({ scope: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("http://elsewhere.example")
      .setAudience("weft-api")
      .setExpirationTime("1h")
      .sign(secret);
    expect(await nodeStatus(otherIssuer)).toBe(401);
    expect(await nodeStatus("not.a.jwt")).toBe(401);
  });

  it("answers 403 when the token lacks the scope, and names the scope", async () => {
    const readOnly = await node.token(["read"]);
    expect(await nodeStatus(readOnly)).toBe(200);
    const res = await reply(node.client(readOnly).node.$patch({ json: { name: "Nope" } }));
    expect(expectProblem(res, 403)).toMatchObject({ status: 403, requiredScope: "write" });
    const after = await reply(node.client().node.$get());
    expectStatus(after, 200);
    expect(after.body.name).not.toBe("Nope");
  });

  it("lets a write token read and write", async () => {
    const write = node.client(await node.token(["write"]));
    expect((await reply(write.followers.$get({ query: {} }))).status).toBe(200);
    expect((await reply(write.node.$patch({ json: { summary: "Knitwear" } }))).status).toBe(200);
  });

  it("serves the OpenAPI document and docs page without a token", async () => {
    // Not routes of the typed API (they describe it), so plain GETs.
    const doc = await node.get("/api/v1/openapi.json");
    expect(doc.status).toBe(200);
    const json: unknown = await doc.json();
    expect(json).toMatchObject({ openapi: "3.1.0" });
    for (const path of ["/node", "/following", "/following/{id}", "/followers", "/followers/{id}/approve"]) {
      expect(json).toHaveProperty(["paths", path]);
    }
    expect(json).toHaveProperty(["components", "schemas", "ProfilePatch"]);
    const page = await node.get("/api/v1/docs");
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("/api/v1/following");
  });
});
