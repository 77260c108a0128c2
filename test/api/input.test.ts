// Every route answers malformed input with a 400 problem naming the fields,
// and leaves what was stored untouched.
import { beforeAll, describe, expect, it } from "vitest";
import { startNode, type TestNode } from "../support/network.ts";

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, fields: string[] = []) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body.status).toBe(status);
  const named = (res.body.errors ?? []).map((e: { field: string }) => e.field);
  for (const field of fields) expect(named).toContain(field);
}

describe("bad input to the admin API", () => {
  let node: TestNode;
  let before: any;
  beforeAll(async () => {
    node = await startNode();
    expect((await node.api("PATCH", "/node", { name: "Burke Knit Co-op", region: "US-NC" })).status).toBe(200);
    before = (await node.api("GET", "/node")).body;
  });

  it("PATCH /node rejects each bad field, all named at once, and changes nothing", async () => {
    const res = await node.api("PATCH", "/node", {
      name: "",
      region: "North Carolina",
      website: "ftp://x",
      summary: 42,
    });
    expectProblem(res, 400, ["name", "region", "website", "summary"]);
    expect((await node.api("GET", "/node")).body).toEqual(before);
  });

  it("PATCH /node rejects unknown fields and a non-object body", async () => {
    expectProblem(await node.api("PATCH", "/node", { name: "X", colour: "blue" }), 400);
    expectProblem(await node.api("PATCH", "/node", ["name"]), 400);
    expect((await node.api("GET", "/node")).body).toEqual(before);
  });

  it("rejects malformed JSON and non-JSON bodies", async () => {
    const malformed = await node.api("PATCH", "/node", undefined, {
      rawBody: '{"name": ',
      headers: { "content-type": "application/json" },
    });
    expectProblem(malformed, 400, ["body"]);
    const form = await node.api("PATCH", "/node", undefined, {
      rawBody: "name=X",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(form, 415);
    expect((await node.api("GET", "/node")).body).toEqual(before);
  });

  it("POST /following needs exactly a handle or an actor URL", async () => {
    expectProblem(await node.api("POST", "/following", {}), 400);
    expectProblem(await node.api("POST", "/following", { handle: "x@y", actor: "https://y/a" }), 400);
    expectProblem(await node.api("POST", "/following", { actor: "not a url" }), 400);
    expectProblem(await node.api("POST", "/following", { handle: "no-at-sign" }), 400, ["handle"]);
    expect((await node.api("GET", "/following")).body.items).toEqual([]);
  });

  it("POST /following of an unknown co-op on a reachable node is 404, of an unreachable one 502", async () => {
    const host = new URL(node.origin).host;
    expectProblem(await node.api("POST", "/following", { handle: `nobody@${host}` }), 404, ["handle"]);
    expectProblem(await node.api("POST", "/following", { handle: "coop@127.0.0.1:1" }), 502, ["handle"]);
    expect((await node.api("GET", "/following")).body.items).toEqual([]);
  });

  it("a co-op cannot follow itself", async () => {
    expectProblem(await node.api("POST", "/following", { handle: node.account }), 400, ["handle"]);
  });

  it("ids that are not UUIDs are 400, unknown ids 404", async () => {
    expectProblem(await node.api("DELETE", "/following/42"), 400, ["param.id"]);
    expectProblem(await node.api("POST", "/followers/xyz/approve"), 400, ["param.id"]);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expectProblem(await node.api("DELETE", `/following/${unknown}`), 404);
    expectProblem(await node.api("POST", `/followers/${unknown}/approve`), 404);
    expectProblem(await node.api("POST", `/followers/${unknown}/reject`), 404);
    expectProblem(await node.api("DELETE", `/followers/${unknown}`), 404);
  });

  it("bad query parameters are 400 naming the parameter", async () => {
    expectProblem(await node.api("GET", "/followers?state=maybe"), 400, ["query.state"]);
  });

  it("unknown API routes are 404 problem+json", async () => {
    expectProblem(await node.api("GET", "/nothing-here"), 404);
  });
});
