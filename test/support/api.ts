// The admin API's answers in tests, typed by the routes (hono/client): a
// call's status and JSON come back as one union, so checking the status with
// expectStatus() gives the body the type that route declares for it. Bad
// input that cannot be written as a typed call (broken JSON, a form body)
// goes through sendRaw() instead.
import type { ClientResponse } from "hono/client";
import { expect } from "vitest";
import type { z } from "zod";
import type { OrderActionName } from "../../src/actions/order-view.ts";
import type { OrderActionInput } from "../../src/actions/orders.ts";
import { ProblemSchema } from "../../src/api/problem.ts";
import type { Api } from "../../src/cli/client.ts";
import type { TestNode } from "./launch.ts";

export type { BodyOf, QueryOf } from "../../src/cli/answers.ts";
export type { Api };

/** One answer: for each status the route declares, that status with the JSON declared for it. */
export type Reply<R> =
  R extends ClientResponse<infer Body, infer Status, infer _Format>
    ? { status: Status; headers: Headers; body: Body }
    : never;

/** Any answer, such as one of a status no route declares (413, 415, an unknown route's 404). */
export interface RawReply {
  status: number;
  headers: Headers;
  body: unknown;
}

export type Problem = z.infer<typeof ProblemSchema>;

async function read(response: Response): Promise<RawReply> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, body };
}

/** Sends one typed call and reads its answer (JSON parsed; text kept when not JSON; null when empty). */
export async function reply<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<Reply<R>> {
  const response = await call;
  // ClientResponse is the fetch Response, typed; read() returns what hono/client's json() would.
  return (await read(response as unknown as Response)) as Reply<R>;
}

/**
 * A request the typed client cannot make: a body that is not JSON, or not
 * even well-formed, or a path that is no route. Signed with an admin token.
 */
export async function sendRaw(
  node: TestNode,
  method: string,
  path: string,
  body?: { text: string; contentType: string },
): Promise<RawReply> {
  const headers: Record<string, string> = { authorization: `Bearer ${await node.token()}`, accept: "application/json" };
  if (body) headers["content-type"] = body.contentType;
  const response = await fetch(new URL(`/api/v1${path}`, node.origin), { method, body: body?.text, headers });
  return await read(response);
}

/** Fails unless the answer has `status`; after it, the body has the type the route declares for that status. */
export function expectStatus<R extends { status: number }, const S extends R["status"]>(
  res: R,
  status: S,
): asserts res is Extract<R, { status: S }> {
  expect(res.status, JSON.stringify((res as { body?: unknown }).body)).toBe(status);
}

/** Fails unless the answer is a problem+json document of `status`; answers the problem, checked against its schema. */
export function expectProblem(
  res: RawReply | { status: number; headers: Headers; body: unknown },
  status: number,
): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = ProblemSchema.parse(res.body);
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^urn:weft:problem:/);
  return problem;
}

/** The fields a problem names in its `errors`. */
export function fieldsOf(problem: Problem): string[] {
  return (problem.errors ?? []).map((e) => e.field);
}

/**
 * POST /orders/{id}/<action> on `node`, as its admin, with the body that
 * action takes (none when undefined). The action routes declare their body
 * optional, and then @hono/zod-openapi leaves `json` out of the typed input,
 * so the call is cast to take it, as the CLI's postAction does.
 */
export function orderAction<A extends OrderActionName>(
  node: TestNode,
  action: A,
  id: string,
  json?: OrderActionInput<A>,
) {
  type Post = Api["orders"][":id"]["accept"]["$post"];
  const post = node.client().orders[":id"][action].$post as (args: {
    param: { id: string };
    json?: OrderActionInput<A>;
  }) => ReturnType<Post>;
  return reply(post(json === undefined ? { param: { id } } : { param: { id }, json }));
}
