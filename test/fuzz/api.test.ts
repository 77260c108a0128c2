// Issue 15 item 7, the admin API: generated bodies, path parameters and
// query strings for every route of the OpenAPI document (drawn from its own
// schemas, then mutated), sent in-process to a node with orders, listings
// and partners. Never a 5xx or a logged error; every rejection is
// problem+json and leaves every stored row as it was. Seeds print on failure
// (rerun with WEFT_FUZZ_SEED); WEFT_FUZZ_RUNS sets the count.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNetwork, type TestNode } from "../support/network.ts";
import { type Market, openMarket, orderBody } from "../support/orders.ts";
import {
  captureErrors,
  changedTables,
  fingerprint,
  fromSchema,
  fuzzRuns,
  hostileFrom,
  hostileValue,
  keepFetchOnLoopback,
  logLine,
  quiet,
} from "./hostile.ts";

interface Operation {
  method: string;
  path: string;
  op: Record<string, any>;
}

// Rate limits off: the fuzz sends far more than a client may a minute.
const UNLIMITED = { WEFT_RATE_LIMIT_API: "0", WEFT_RATE_LIMIT_INBOX: "0", WEFT_RATE_LIMIT_INBOX_SERVER: "0" };

describe("generated hostile input to every admin API route", () => {
  let market: Market;
  let node: TestNode;
  let doc: Record<string, any>;
  let token: string;
  const ids = new Set<string>();
  let restoreFetch: () => void;

  beforeAll(async () => {
    restoreFetch = keepFetchOnLoopback();
    market = await openMarket(await startNetwork(2, { env: UNLIMITED }));
    node = market.buyer;
    const order = await node.api("POST", "/orders", orderBody(market));
    expect(order.status).toBe(201);
    ids.add(order.body.id);
    for (const item of (await node.api("GET", "/following")).body.items) ids.add(item.id);
    for (const item of (await market.seller.api("GET", "/followers")).body.items) ids.add(item.id);
    doc = (await node.api("GET", "/openapi.json")).body;
    token = await node.token();
  });

  afterAll(() => restoreFetch?.());

  const runs = fuzzRuns(300);
  // About a quarter of a second a case on a busy machine (each waits for both nodes to be quiet).
  it("never answers 5xx, and every rejection is problem+json that stores nothing", {
    timeout: 60_000 + runs.numRuns * 1000,
  }, async () => {
    const errors = await captureErrors();
    const operations: Operation[] = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    // GET /backup streams the whole database: a few of them say enough.
    const weighted = operations.map((o) => ({ weight: o.path === "/backup" ? 1 : 20, arbitrary: fc.constant(o) }));
    const urls = [
      market.jerseyIri,
      market.ribIri,
      market.seller.actorUrl,
      node.actorUrl,
      "http://127.0.0.1:1/coops/coop",
      "not a url",
      "javascript:alert(1)",
      "https://example.invalid/x",
    ];
    const idArb = () =>
      fc.oneof(
        fc.constantFrom(...ids),
        fc.uuid(),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(...["%00", "..", "💥"]),
      );
    const request = fc.oneof(...weighted).chain((o) => {
      const params: any[] = o.op.parameters ?? [];
      const pathParams = fc.record(
        Object.fromEntries(params.filter((p) => p.in === "path").map((p) => [p.name, idArb()])),
      ) as fc.Arbitrary<Record<string, string>>;
      const query = fc.record(
        Object.fromEntries(
          params
            .filter((p) => p.in === "query")
            .map((p) => [p.name, fc.oneof(fromSchema(doc, p.schema, urls), hostileValue).map((v) => String(v))]),
        ),
        { requiredKeys: [] },
      ) as fc.Arbitrary<Record<string, string>>;
      const schema = o.op.requestBody?.content?.["application/json"]?.schema;
      const body = fc.oneof(
        { weight: 8, arbitrary: hostileFrom(schema ? fromSchema(doc, schema, urls) : fc.constant({})) },
        { weight: 1, arbitrary: fc.constantFrom("{", '{"a":', "[1,", "\u0000", "null", '"x"').map((raw) => ({ raw })) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
      return fc.record({ operation: fc.constant(o), pathParams, query, body });
    });

    let cases = 0;
    await quiet(node, market.seller);
    let before = await fingerprint(node);
    await fc.assert(
      fc.asyncProperty(request, async ({ operation, pathParams, query, body }) => {
        cases++;
        const path = operation.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(pathParams[name] ?? ""));
        const search = new URLSearchParams(query).toString();
        const url = `${node.origin}/api/v1${path}${search ? `?${search}` : ""}`;
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
        let payload: string | undefined;
        if (body !== undefined && operation.method !== "GET") {
          headers["content-type"] = "application/json";
          const raw = (body as { raw?: unknown } | null)?.raw;
          payload = typeof raw === "string" ? raw : JSON.stringify(body);
        }
        const res = await node.node.app.fetch(new Request(url, { method: operation.method, headers, body: payload }));
        const text = await res.text();
        const where = `${operation.method} ${url} ${payload?.slice(0, 300) ?? ""}`;
        expect(res.status, `${where} → ${text.slice(0, 300)}`).toBeLessThan(500);
        expect(errors.map(logLine), where).toEqual([]);
        if (res.ok) {
          // Things made are things to act on next.
          try {
            const id = JSON.parse(text)?.id;
            if (typeof id === "string") ids.add(id);
          } catch {}
          await quiet(node, market.seller);
          before = await fingerprint(node);
          return;
        }
        expect(res.headers.get("content-type"), where).toBe("application/problem+json");
        await quiet(node, market.seller);
        const after = await fingerprint(node);
        expect(changedTables(before, after), `${where} → ${res.status} changed stored rows`).toEqual([]);
        before = after;
      }),
      { ...runs, endOnFailure: true },
    );
    expect(cases).toBeGreaterThan(0);
  });
});
