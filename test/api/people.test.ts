// /api/v1/people: invitations through the API (what `weft user add` uses).
import { beforeAll, describe, expect, it } from "vitest";
import { completeSetup } from "../../src/actions/people.ts";
import { startNode, type TestNode } from "../support/network.ts";

describe("/api/v1/people", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  it("invites a person with a one-time link valid for 24 hours, and lists them once set up", async () => {
    const before = Date.now();
    const res = await node.api("POST", "/people", { email: " Sam@Knit.Example ", role: "member" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: "sam@knit.example", role: "member" });
    expect(res.body.setupUrl).toMatch(new RegExp(`^${node.origin}/setup/[A-Za-z0-9_-]{43}$`));
    const expires = Date.parse(res.body.expiresAt);
    expect(expires - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(expires - before).toBeLessThan(24 * 3600_000 + 60_000);
    expect((await node.api("GET", "/people")).body.items).toEqual([]);

    const token = res.body.setupUrl.split("/").at(-1);
    const { services, federation } = node.node.deps;
    await completeSetup({ services, federation }, token, { name: "Sam Weaver", password: "long enough pass" });
    const list = await node.api("GET", "/people");
    expect(list.status).toBe(200);
    expect(list.body.items).toMatchObject([{ email: "sam@knit.example", name: "Sam Weaver", role: "member" }]);

    const again = await node.api("POST", "/people", { email: "sam@knit.example", role: "viewer" });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe("sam@knit.example already has an account here (as member).");
  });

  it("refuses a bad email or role field by field, and tokens without the admin scope", async () => {
    const bad = await node.api("POST", "/people", { email: "not an email", role: "member" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "email", message: "must be an email address such as sam@coop.example" }]);
    const role = await node.api("POST", "/people", { email: "kim@knit.example", role: "boss" });
    expect(role.status).toBe(400);
    expect(role.body.errors).toEqual([{ field: "role", message: "must be owner, member or viewer" }]);

    const writer = await node.token(["write"]);
    const refused = await node.api("POST", "/people", { email: "kim@knit.example", role: "owner" }, { token: writer });
    expect(refused.status).toBe(403);
    expect((await node.api("GET", "/people", undefined, { token: writer })).status).toBe(403);
  });

  it("describes both routes in the OpenAPI document", async () => {
    const doc = (await node.api("GET", "/openapi.json", undefined, { token: null })).body;
    expect(Object.keys(doc.paths["/people"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(doc.components.schemas.Invitation.properties.setupUrl).toBeDefined();
  });
});
