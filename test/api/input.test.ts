// Every route answers malformed input with a 400 problem naming the fields,
// and leaves what was stored untouched.
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, type BodyOf, expectProblem, expectStatus, type QueryOf, reply, sendRaw } from "../support/api.ts";
import { startNode, type TestNode } from "../support/network.ts";

// Bodies and queries of the wrong shape, which the typed routes would not
// take, are cast to the route's input: the node must refuse them itself.
type ProfilePatch = BodyOf<Api["node"]["$patch"]>;
type FollowRequest = BodyOf<Api["following"]["$post"]>;
type FollowersQuery = QueryOf<Api["followers"]["$get"]>;

function expectFields(res: { status: number; headers: Headers; body: unknown }, status: number, fields: string[]) {
  const named = (expectProblem(res, status).errors ?? []).map((e) => e.field);
  for (const field of fields) expect(named).toContain(field);
}

describe("bad input to the admin API", () => {
  let node: TestNode;
  let api: Api;
  let before: unknown;

  async function profile(): Promise<unknown> {
    const res = await reply(api.node.$get());
    expectStatus(res, 200);
    return res.body;
  }

  async function following() {
    const res = await reply(api.following.$get());
    expectStatus(res, 200);
    return res.body.items;
  }

  beforeAll(async () => {
    node = await startNode();
    api = node.client();
    expect((await reply(api.node.$patch({ json: { name: "Burke Knit Co-op", region: "US-NC" } }))).status).toBe(200);
    before = await profile();
  });

  it("PATCH /node rejects each bad field, all named at once, and changes nothing", async () => {
    const json = { name: "", region: "North Carolina", website: "ftp://x", summary: 42 } as unknown as ProfilePatch;
    expectFields(await reply(api.node.$patch({ json })), 400, ["name", "region", "website", "summary"]);
    expect(await profile()).toEqual(before);
  });

  it("PATCH /node rejects unknown fields and a non-object body", async () => {
    const colour = { name: "X", colour: "blue" } as unknown as ProfilePatch;
    expectProblem(await reply(api.node.$patch({ json: colour })), 400);
    expectProblem(await reply(api.node.$patch({ json: ["name"] as unknown as ProfilePatch })), 400);
    expect(await profile()).toEqual(before);
  });

  it("rejects malformed JSON and non-JSON bodies", async () => {
    // Neither can be sent through the typed client, which always sends well-formed JSON.
    const malformed = await sendRaw(node, "PATCH", "/node", { text: '{"name": ', contentType: "application/json" });
    expectFields(malformed, 400, ["body"]);
    const form = await sendRaw(node, "PATCH", "/node", {
      text: "name=X",
      contentType: "application/x-www-form-urlencoded",
    });
    expectProblem(form, 415);
    expect(await profile()).toEqual(before);
  });

  it("POST /following needs exactly a handle or an actor URL", async () => {
    const follow = (json: unknown) => reply(api.following.$post({ json: json as FollowRequest }));
    expectProblem(await follow({}), 400);
    expectProblem(await follow({ handle: "x@y", actor: "https://y/a" }), 400);
    expectProblem(await follow({ actor: "not a url" }), 400);
    expectFields(await follow({ handle: "no-at-sign" }), 400, ["handle"]);
    expect(await following()).toEqual([]);
  });

  it("POST /following of an unknown co-op on a reachable node is 404, of an unreachable one 502", async () => {
    const host = new URL(node.origin).host;
    expectFields(await reply(api.following.$post({ json: { handle: `nobody@${host}` } })), 404, ["handle"]);
    expectFields(await reply(api.following.$post({ json: { handle: "coop@127.0.0.1:1" } })), 502, ["handle"]);
    expect(await following()).toEqual([]);
  });

  it("a co-op cannot follow itself", async () => {
    expectFields(await reply(api.following.$post({ json: { handle: node.account } })), 400, ["handle"]);
  });

  it("ids that are not UUIDs are 400, unknown ids 404", async () => {
    expectFields(await reply(api.following[":id"].$delete({ param: { id: "42" } })), 400, ["param.id"]);
    expectFields(await reply(api.followers[":id"].approve.$post({ param: { id: "xyz" } })), 400, ["param.id"]);
    const param = { id: "00000000-0000-4000-8000-000000000000" };
    expectProblem(await reply(api.following[":id"].$delete({ param })), 404);
    expectProblem(await reply(api.followers[":id"].approve.$post({ param })), 404);
    expectProblem(await reply(api.followers[":id"].reject.$post({ param })), 404);
    expectProblem(await reply(api.followers[":id"].$delete({ param })), 404);
  });

  it("bad query parameters are 400 naming the parameter", async () => {
    const query = { state: "maybe" } as unknown as FollowersQuery;
    expectFields(await reply(api.followers.$get({ query })), 400, ["query.state"]);
  });

  it("unknown API routes are 404 problem+json", async () => {
    // No typed route leads there, by definition.
    expectProblem(await sendRaw(node, "GET", "/nothing-here"), 404);
  });
});
