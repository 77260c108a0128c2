// Bad order input through the API: every bad POST /orders body is a 400
// problem naming the field and stores (and sends) nothing; bad action
// bodies and ids are refused before anything happens.
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderActionInput } from "../../src/actions/orders.ts";
import type { Order } from "../../src/cli/answers.ts";
import { storedEvents } from "../orders/wire.ts";
import {
  type Api,
  type BodyOf,
  expectProblem,
  expectStatus,
  orderAction,
  type QueryOf,
  reply,
  sendRaw,
} from "../support/api.ts";
import { eventually, startNetwork, type TestNode } from "../support/network.ts";
import { follows, jersey, type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";

// Bodies of the wrong shape, which the typed routes would not take, are
// cast to the route's input: the node must refuse them itself.
type OrderInput = BodyOf<Api["orders"]["$post"]>;
type Actions = Api["orders"][":id"];

let m: Market;
/** A second seller the buyer also follows. */
let other: TestNode;
let otherIri: string;
/** A listing of the first seller priced in euros. */
let euroIri: string;

/** Publishes a jersey listing on `node` with `changes`, and answers its IRI. */
async function publish(
  node: TestNode,
  changes: { title: string; price?: { amount: string; currency: string; per: string } },
) {
  const res = await reply(node.client().listings.$post({ json: { ...jersey, kind: "offer", ...changes } }));
  expectStatus(res, 201);
  return res.body.iri;
}

beforeAll(async () => {
  const [seller, buyer, third] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
  other = third;
  euroIri = await publish(seller, {
    title: "Linen, priced in euros",
    price: { amount: "9.10", currency: "EUR", per: "MTR" },
  });
  otherIri = await publish(other, { title: "Jersey from another mill" });
  m = await openMarket([seller, buyer]);
  await follows(m.buyer, other);
  const known = [m.jerseyIri, m.ribIri, euroIri, otherIri];
  await eventually(async () => {
    const res = await reply(m.buyer.client().timeline.$get({ query: {} }));
    expectStatus(res, 200);
    const timeline = res.body.items.map((l) => l.iri);
    return known.every((iri) => timeline.includes(iri));
  });
});

/** The first line of the usual order, with `changes` merged in. */
function line(changes: Record<string, unknown> = {}) {
  return {
    listing: m.jerseyIri,
    quantity: { amount: "200", unit: "MTR" },
    unitPrice: { amount: "7.40", currency: "USD" },
    ...changes,
  };
}

/** POST /orders on `node` with `body`, as written (cast: it may be of the wrong shape). */
function placeOn(node: TestNode, body: Record<string, unknown>, token?: string | null) {
  return reply(node.client(token).orders.$post({ json: body as unknown as OrderInput }));
}

async function ordersOn(node: TestNode): Promise<Order[]> {
  const res = await reply(node.client().orders.$get({ query: {} }));
  expectStatus(res, 200);
  return res.body.items;
}

/** The fields a 400 problem names. */
function fieldsOf(res: { status: number; headers: Headers; body: unknown }): string[] {
  return (expectProblem(res, 400).errors ?? []).map((e) => e.field);
}

describe("POST /orders refuses bad orders and stores nothing", () => {
  type Case = [name: string, body: () => Record<string, unknown>, field: string, message: RegExp];
  const cases: Case[] = [
    [
      "a quantity given as a number",
      () => orderBody(m, { lines: [line({ quantity: { amount: 200, unit: "MTR" } })] }),
      "lines.0.quantity.amount",
      /decimal string/,
    ],
    [
      "a price given as a number",
      () => orderBody(m, { lines: [line({ unitPrice: { amount: 7.4, currency: "USD" } })] }),
      "lines.0.unitPrice.amount",
      /decimal string/,
    ],
    [
      "a unit that is not a UN/ECE code",
      () => orderBody(m, { lines: [line({ quantity: { amount: "200", unit: "BOLTS" } })] }),
      "lines.0.quantity.unit",
      /unit code/,
    ],
    [
      "a currency that is not an ISO 4217 code",
      () => orderBody(m, { lines: [line({ unitPrice: { amount: "7.40", currency: "ZZZ" } })] }),
      "lines.0.unitPrice.currency",
      /ISO 4217/,
    ],
    [
      "two currencies (each line in its listing's currency)",
      () =>
        orderBody(m, {
          lines: [line(), line({ listing: euroIri, unitPrice: { amount: "9.10", currency: "EUR" } })],
        }),
      "lines.0.unitPrice.currency",
      /one currency per order/,
    ],
    [
      "a price in another currency than the listing's",
      () => orderBody(m, { lines: [line({ unitPrice: { amount: "7.40", currency: "EUR" } })] }),
      "lines.0.unitPrice.currency",
      /must be USD/,
    ],
    ["no lines", () => orderBody(m, { lines: [] }), "lines", /at least one line/],
    [
      "a quantity below the listing's minimum order",
      () => orderBody(m, { lines: [line({ quantity: { amount: "49.99", unit: "MTR" } })] }),
      "lines.0.quantity.amount",
      /below the minimum order of 50/,
    ],
    [
      "a quantity above what the listing has",
      () => orderBody(m, { lines: [line({ quantity: { amount: "500.01", unit: "MTR" } })] }),
      "lines.0.quantity.amount",
      /more than the 500 available/,
    ],
    [
      "a unit other than the listing's",
      () => orderBody(m, { lines: [line({ quantity: { amount: "200", unit: "KGM" } })] }),
      "lines.0.quantity.unit",
      /must be MTR/,
    ],
    [
      "a listing the buyer does not know",
      () =>
        orderBody(m, {
          lines: [line({ listing: `${m.seller.origin}/listings/00000000-0000-4000-8000-000000000099` })],
        }),
      "lines.0.listing",
      /not a listing this co-op can order from/,
    ],
    [
      "the buyer's own listing",
      () => orderBody(m, { lines: [line({ listing: ownIri })] }),
      "lines.0.listing",
      /not a listing this co-op can order from/,
    ],
    [
      "lines from two sellers",
      () => orderBody(m, { lines: [line(), line({ listing: otherIri })] }),
      "lines.0.listing",
      /one seller/,
    ],
    [
      "two lines with the same id",
      () =>
        orderBody(m, {
          lines: [line({ id: "a" }), line({ id: "a", listing: m.ribIri, quantity: { amount: "30", unit: "MTR" } })],
        }),
      "lines",
      /unique/,
    ],
    [
      "a delivery window that ends before it starts",
      () => orderBody(m, { deliveryWindow: { from: "2027-02-15", until: "2027-02-01" } }),
      "deliveryWindow.until",
      /before from/,
    ],
    [
      "a delivery date that is not a date",
      () => orderBody(m, { lines: [line({ deliveryDate: "next Tuesday" })] }),
      "lines.0.deliveryDate",
      /date/i,
    ],
    ["an unknown field", () => ({ ...orderBody(m), colour: "red" }), "body", /colour/],
    ["an unknown field in a line", () => orderBody(m, { lines: [line({ discount: "5%" })] }), "lines.0", /discount/],
    [
      "an unknown region to deliver to",
      () => orderBody(m, { deliverTo: { name: "Burke Knit Co-op", region: "Narnia" } }),
      "deliverTo.region",
      /ISO 3166/,
    ],
  ];
  let ownIri: string;

  beforeAll(async () => {
    ownIri = await publish(m.buyer, { title: "The buyer's own jersey" });
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it.each(cases)("%s", async (_name, body, field, message) => {
    const res = await placeOn(m.buyer, body());
    expect(expectProblem(res, 400).errors).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it("a read-only token may list orders but not place one", async () => {
    const token = await m.buyer.token(["read"]);
    expect((await reply(m.buyer.client(token).orders.$get({ query: {} }))).status).toBe(200);
    expect(expectProblem(await placeOn(m.buyer, orderBody(m), token), 403).requiredScope).toBe("write");
    expect((await placeOn(m.buyer, orderBody(m), null)).status).toBe(401);
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it("a body that is not JSON", async () => {
    // Neither can be sent through the typed client, which always sends well-formed JSON.
    const res = await sendRaw(m.buyer, "POST", "/orders", { text: "lines=1", contentType: "text/plain" });
    expectProblem(res, 415);
    const broken = await sendRaw(m.buyer, "POST", "/orders", { text: '{"lines": [', contentType: "application/json" });
    expectProblem(broken, 400);
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it("nothing reached the sellers either", async () => {
    // Nothing waits in the buyer's queue, and neither seller holds any order event.
    const state = await reply(m.buyer.client().node.$get());
    expectStatus(state, 200);
    expect(state.body.queue.queued).toBe(0);
    for (const node of [m.buyer, m.seller, other]) expect(await storedEvents(node)).toEqual([]);
    // The way was open: a good order arrives.
    const good = await placeOn(m.buyer, orderBody(m));
    expectStatus(good, 201);
    await eventually(async () => Boolean(await orderOn(m.seller, good.body.iri)));
    expect((await ordersOn(m.seller)).map((o) => o.iri)).toEqual([good.body.iri]);
    expect(await ordersOn(other)).toEqual([]);
  });
});

describe("order actions refuse bad bodies and ids", () => {
  type Placed = { buyer: Order; seller: Order };
  /** Sent, on both sides; no action below may change it. */
  let order: Placed;
  /** Accepted, on both sides; nothing shipped. */
  let accepted: Placed;

  /** The order routes on `node`, as its admin. */
  const actions = (node: TestNode): Actions => node.client().orders[":id"];

  async function place(): Promise<Placed> {
    const placed = await placeOn(m.buyer, orderBody(m));
    expectStatus(placed, 201);
    const seller: Order = await eventually(async () => await orderOn(m.seller, placed.body.iri));
    return { buyer: placed.body, seller };
  }

  beforeAll(async () => {
    order = await place();
    accepted = await place();
    expect((await orderAction(m.seller, "accept", accepted.seller.id, {})).status).toBe(200);
    await eventually(async () => (await orderOn(m.buyer, accepted.buyer.iri)).state === "accepted");
  });

  it("cancel needs a reason", async () => {
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: 42 }]) {
      const res = await orderAction(m.buyer, "cancel", order.buyer.id, body as unknown as OrderActionInput<"cancel">);
      expect(fieldsOf(res)).toContain("reason");
    }
  });

  // BUG: an action POSTed without any body skips validation (the routes
  // declare the body `required: false`), so cancel goes through with the
  // made-up reason "No reason given".
  it("cancel with no body at all is refused too", async () => {
    const own = await place();
    expectProblem(await orderAction(m.buyer, "cancel", own.buyer.id), 400);
  });

  // BUG: the same gap makes the actions whose body has required lists crash:
  // propose-changes, change, ship and receive without a body answer 500.
  it("actions that need lines or changes refuse a missing body with 400, not 500", async () => {
    const statuses = [
      (await orderAction(m.seller, "propose-changes", order.seller.id)).status,
      (await orderAction(m.buyer, "change", accepted.buyer.id)).status,
      (await orderAction(m.seller, "ship", accepted.seller.id)).status,
      (await orderAction(m.buyer, "receive", accepted.buyer.id)).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400]);
  });

  // BUG: rejecting an order with no reason is accepted (200) and the order
  // is rejected with the made-up reason "No reason given" (payloadFor in
  // src/api/orders.ts), although a seller's rejection of an order needs a
  // reason everywhere else (PAYLOAD_SCHEMAS.reject, the seller's auto-Reject).
  it("rejecting an order needs a reason", async () => {
    // An order of its own: while the bug lasts, this reject goes through.
    const own = await place();
    const res = await orderAction(m.seller, "reject", own.seller.id, {});
    expect(fieldsOf(res)).toContain("reason");
  });

  it("a blank reason is refused even where a reason is optional", async () => {
    const res = await orderAction(m.seller, "reject", order.seller.id, { reason: " " });
    expect(fieldsOf(res)).toContain("reason");
  });

  it("propose-changes and change refuse bad changes", async () => {
    const propose = (json: OrderActionInput<"propose-changes">) =>
      orderAction(m.seller, "propose-changes", order.seller.id, json);
    const change = (json: OrderActionInput<"change">) => orderAction(m.buyer, "change", accepted.buyer.id, json);
    expect(fieldsOf(await propose({ changes: [] }))).toContain("changes");
    const unknown = await propose({ changes: [{ id: "9", quantity: { amount: "10", unit: "MTR" } }] });
    expect(expectProblem(unknown, 409).detail).toMatch(/no line 9/);
    const unit = await change({ changes: [{ id: "1", quantity: { amount: "10", unit: "KGM" } }] });
    expect(expectProblem(unit, 409).detail).toMatch(/unit cannot change/);
    const currency = await change({ changes: [{ id: "1", unitPrice: { amount: "7", currency: "EUR" } }] });
    expect(expectProblem(currency, 409).detail).toMatch(/one currency per order/);
  });

  it("ship: an unknown line is a conflict with the reason, a zero quantity a bad request", async () => {
    // Lines as written, some of the wrong shape (cast: the node must refuse them itself).
    const ship = (lines: unknown) =>
      orderAction(m.seller, "ship", accepted.seller.id, { lines } as unknown as OrderActionInput<"ship">);

    const before = (await storedEvents(m.seller, accepted.seller.iri)).length;
    const unknown = expectProblem(await ship([{ id: "9", quantity: "1" }]), 409);
    expect(unknown.detail).toMatch(/no line 9/);
    expect(unknown).toMatchObject({ state: "accepted", allowedActions: expect.arrayContaining(["ship"]) });
    // Refused before anything was stored (or sent).
    expect(await storedEvents(m.seller, accepted.seller.iri)).toHaveLength(before);

    const zero = expectProblem(await ship([{ id: "1", quantity: "0" }]), 400);
    expect(zero.errors).toContainEqual({ field: "lines.0.quantity", message: "must be more than zero" });

    expect(fieldsOf(await ship([{ id: "1", quantity: 1 }]))).toContain("lines.0.quantity");

    const twice = await ship([
      { id: "1", quantity: "1" },
      { id: "1", quantity: "1" },
    ]);
    expect(expectProblem(twice, 409).detail).toMatch(/line 1 twice/);

    expect(fieldsOf(await ship([]))).toContain("lines");

    const receiveUnshipped = await orderAction(m.buyer, "receive", accepted.buyer.id, {
      lines: [{ id: "1", quantity: "1" }],
    });
    expect(expectProblem(receiveUnshipped, 409).detail).toMatch(/more than shipped/);
  });

  it("an unknown order is 404 and an id that is not a UUID is 400", async () => {
    const missing = { id: "00000000-0000-4000-8000-000000000000" };
    expectProblem(await reply(actions(m.buyer).$get({ param: missing })), 404);
    expectProblem(await reply(actions(m.buyer).ubl.$get({ param: missing })), 404);
    expectProblem(await orderAction(m.buyer, "cancel", missing.id, { reason: "x" }), 404);
    expectProblem(await orderAction(m.seller, "accept", missing.id, {}), 404);
    for (const res of [
      await reply(actions(m.buyer).$get({ param: { id: "not-a-uuid" } })),
      await orderAction(m.buyer, "cancel", "not-a-uuid", { reason: "x" }),
      await orderAction(m.seller, "accept", "42", {}),
      // An order's IRI is not its API id (hono/client puts the param in the path as given).
      await reply(actions(m.buyer).$get({ param: { id: encodeURIComponent(order.buyer.iri) } })),
    ]) {
      expect(fieldsOf(res)).toContain("param.id");
    }
  });

  it("bad list filters are 400 naming the parameter", async () => {
    for (const [query, field] of [
      [{ role: "owner" }, "query.role"],
      [{ state: "shipped" }, "query.state"],
      [{ partner: "someone" }, "query.partner"],
    ] as const) {
      const res = await reply(
        m.buyer.client().orders.$get({ query: query as unknown as QueryOf<Api["orders"]["$get"]> }),
      );
      expect(fieldsOf(res)).toContain(field);
    }
  });

  it("none of the refused actions changed the orders on either side", async () => {
    // Anything sent would travel ahead of this accept (one ordering key per order).
    expect((await orderAction(m.seller, "accept", order.seller.id, {})).status).toBe(200);
    const [onBuyer] = await eventually(async () => {
      const pair: Order[] = [await orderOn(m.buyer, order.buyer.iri), await orderOn(m.seller, order.buyer.iri)];
      return pair[0]!.version === 2 ? pair : null;
    });
    expect(onBuyer!.history.map((h) => [h.type, h.outcome])).toEqual([
      ["order", "applied"],
      ["accept", "applied"],
    ]);
    for (const node of [m.buyer, m.seller]) {
      const same: Order = await orderOn(node, accepted.buyer.iri);
      expect(same).toMatchObject({ state: "accepted", version: 2 });
      expect(same.lines.map((l) => l.shipped)).toEqual(["0", "0"]);
    }
  });
});
