import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { startNode, type TestNode } from "../support/network.ts";

describe("API authentication and scopes", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  it("answers 401 problem+json without a token", async () => {
    const res = await node.api("GET", "/node", undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ status: 401, title: "Authentication required" });
  });

  it("answers 401 for a token signed with another secret, or expired, or for another node", async () => {
    const forged = await new SignJWT({ scope: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(node.origin)
      .setAudience("weft-api")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-secret-of-this-node-at-all!!"));
    expect((await node.api("GET", "/node", undefined, { token: forged })).status).toBe(401);

    const secret = new TextEncoder().encode(node.node.deps.secret);
    const expired = await new SignJWT({ scope: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(node.origin)
      .setAudience("weft-api")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    expect((await node.api("GET", "/node", undefined, { token: expired })).status).toBe(401);

    const otherIssuer = await new SignJWT({ scope: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("http://elsewhere.example")
      .setAudience("weft-api")
      .setExpirationTime("1h")
      .sign(secret);
    expect((await node.api("GET", "/node", undefined, { token: otherIssuer })).status).toBe(401);
    expect((await node.api("GET", "/node", undefined, { token: "not.a.jwt" })).status).toBe(401);
  });

  it("answers 403 when the token lacks the scope, and names the scope", async () => {
    const readOnly = await node.token(["read"]);
    expect((await node.api("GET", "/node", undefined, { token: readOnly })).status).toBe(200);
    const res = await node.api("PATCH", "/node", { name: "Nope" }, { token: readOnly });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, requiredScope: "write" });
    expect((await node.api("GET", "/node")).body.name).not.toBe("Nope");
  });

  it("lets a write token read and write", async () => {
    const write = await node.token(["write"]);
    expect((await node.api("GET", "/followers", undefined, { token: write })).status).toBe(200);
    expect((await node.api("PATCH", "/node", { summary: "Knitwear" }, { token: write })).status).toBe(200);
  });

  it("serves the OpenAPI document and docs page without a token", async () => {
    const doc = await node.get("/api/v1/openapi.json");
    expect(doc.status).toBe(200);
    const json = await doc.json();
    expect(json.openapi).toBe("3.1.0");
    for (const path of ["/node", "/following", "/following/{id}", "/followers", "/followers/{id}/approve"]) {
      expect(Object.keys(json.paths)).toContain(path);
    }
    expect(json.components.schemas.ProfilePatch).toBeDefined();
    const page = await node.get("/api/v1/docs");
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("/api/v1/following");
  });
});
