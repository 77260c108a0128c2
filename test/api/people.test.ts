// /api/v1/people: invitations through the API (what `weft user add` uses).
import { beforeAll, describe, expect, it } from "vitest";
import { completeSetup } from "../../src/actions/people.ts";
import { type BodyOf, expectProblem, expectStatus, reply } from "../support/api.ts";
import { startNode, type TestNode } from "../support/network.ts";

describe("/api/v1/people", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  it("invites a person with a one-time link valid for 24 hours, and lists them once set up", async () => {
    const api = node.client();
    const before = Date.now();
    const res = await reply(api.people.$post({ json: { email: " Sam@Knit.Example ", role: "member" } }));
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ email: "sam@knit.example", role: "member" });
    expect(res.body.setupUrl).toMatch(new RegExp(`^${node.origin}/setup/[A-Za-z0-9_-]{43}$`));
    const expires = Date.parse(res.body.expiresAt);
    expect(expires - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(expires - before).toBeLessThan(24 * 3600_000 + 60_000);
    const empty = await reply(api.people.$get());
    expectStatus(empty, 200);
    expect(empty.body.items).toEqual([]);

    const token = res.body.setupUrl.split("/").at(-1)!;
    const { services, federation } = node.node.deps;
    await completeSetup({ services, federation }, token, { name: "Sam Weaver", password: "long enough pass" });
    const list = await reply(api.people.$get());
    expectStatus(list, 200);
    expect(list.body.items).toMatchObject([{ email: "sam@knit.example", name: "Sam Weaver", role: "member" }]);

    const again = await reply(api.people.$post({ json: { email: "sam@knit.example", role: "viewer" } }));
    expect(expectProblem(again, 409).detail).toBe("sam@knit.example already has an account here (as member).");
  });

  it("refuses a bad email or role field by field, and tokens without the admin scope", async () => {
    const api = node.client();
    const bad = await reply(api.people.$post({ json: { email: "not an email", role: "member" } }));
    expect(expectProblem(bad, 400).errors).toEqual([
      { field: "email", message: "must be an email address such as sam@coop.example" },
    ]);
    // A role the route does not know: the typed call would not take it, so it is cast.
    const boss = { email: "kim@knit.example", role: "boss" } as unknown as BodyOf<typeof api.people.$post>;
    const role = await reply(api.people.$post({ json: boss }));
    expect(expectProblem(role, 400).errors).toEqual([{ field: "role", message: "must be owner, member or viewer" }]);

    const writer = node.client(await node.token(["write"]));
    const refused = await reply(writer.people.$post({ json: { email: "kim@knit.example", role: "owner" } }));
    expect(refused.status).toBe(403);
    expect((await reply(writer.people.$get())).status).toBe(403);
  });

  it("describes both routes in the OpenAPI document", async () => {
    // The document describes the typed API but is no route of it: a plain GET, without a token.
    const doc: unknown = await (await node.get("/api/v1/openapi.json")).json();
    expect(doc).toHaveProperty(["paths", "/people", "get"]);
    expect(doc).toHaveProperty(["paths", "/people", "post"]);
    expect(doc).toHaveProperty(["components", "schemas", "Invitation", "properties", "setupUrl"]);
  });
});
