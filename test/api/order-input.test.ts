// Bad order input through the API: every bad POST /orders body is a 400
// problem naming the field and stores (and sends) nothing; bad action
// bodies and ids are refused before anything happens.
import { beforeAll, describe, expect, it } from "vitest";
import { storedEvents } from "../orders/wire.ts";
import { type ApiResponse, eventually, startNetwork, type TestNode } from "../support/network.ts";
import { follows, jersey, type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";

let m: Market;
/** A second seller the buyer also follows. */
let other: TestNode;
let otherIri: string;
/** A listing of the first seller priced in euros. */
let euroIri: string;

beforeAll(async () => {
  const [seller, buyer, third] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
  other = third;
  euroIri = (
    await seller.api("POST", "/listings", {
      ...jersey,
      title: "Linen, priced in euros",
      price: { amount: "9.10", currency: "EUR", per: "MTR" },
    })
  ).body.iri;
  otherIri = (await other.api("POST", "/listings", { ...jersey, title: "Jersey from another mill" })).body.iri;
  m = await openMarket([seller, buyer]);
  await follows(m.buyer, other);
  const known = [m.jerseyIri, m.ribIri, euroIri, otherIri];
  await eventually(async () => {
    const timeline = (await m.buyer.api("GET", "/timeline")).body.items.map((l: any) => l.iri);
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

function expectProblem(res: ApiResponse, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^urn:weft:problem:/) });
}

async function ordersOn(node: TestNode): Promise<unknown[]> {
  const res = await node.api("GET", "/orders");
  expect(res.status).toBe(200);
  return res.body.items;
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
    ownIri = (await m.buyer.api("POST", "/listings", { ...jersey, title: "The buyer's own jersey" })).body.iri;
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it.each(cases)("%s", async (_name, body, field, message) => {
    const res = await m.buyer.api("POST", "/orders", body());
    expectProblem(res, 400);
    expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it("a read-only token may list orders but not place one", async () => {
    const token = await m.buyer.token(["read"]);
    expect((await m.buyer.api("GET", "/orders", undefined, { token })).status).toBe(200);
    const res = await m.buyer.api("POST", "/orders", orderBody(m), { token });
    expectProblem(res, 403);
    expect(res.body.requiredScope).toBe("write");
    expect((await m.buyer.api("POST", "/orders", orderBody(m), { token: null })).status).toBe(401);
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it("a body that is not JSON", async () => {
    const res = await m.buyer.api("POST", "/orders", undefined, {
      rawBody: "lines=1",
      headers: { "content-type": "text/plain" },
    });
    expectProblem(res, 415);
    const broken = await m.buyer.api("POST", "/orders", undefined, {
      rawBody: '{"lines": [',
      headers: { "content-type": "application/json" },
    });
    expectProblem(broken, 400);
    expect(await ordersOn(m.buyer)).toEqual([]);
  });

  it("nothing reached the sellers either", async () => {
    // Nothing waits in the buyer's queue, and neither seller holds any order event.
    expect((await m.buyer.api("GET", "/node")).body.queue.queued).toBe(0);
    for (const node of [m.buyer, m.seller, other]) expect(await storedEvents(node)).toEqual([]);
    // The way was open: a good order arrives.
    const good = await m.buyer.api("POST", "/orders", orderBody(m));
    expect(good.status).toBe(201);
    await eventually(async () => Boolean(await orderOn(m.seller, good.body.iri)));
    expect((await ordersOn(m.seller)).map((o: any) => o.iri)).toEqual([good.body.iri]);
    expect(await ordersOn(other)).toEqual([]);
  });
});

describe("order actions refuse bad bodies and ids", () => {
  /** Sent, on both sides; no action below may change it. */
  let order: { buyer: any; seller: any };
  /** Accepted, on both sides; nothing shipped. */
  let accepted: { buyer: any; seller: any };

  async function place(): Promise<{ buyer: any; seller: any }> {
    const placed = await m.buyer.api("POST", "/orders", orderBody(m));
    expect(placed.status).toBe(201);
    const seller = await eventually(async () => await orderOn(m.seller, placed.body.iri));
    return { buyer: placed.body, seller };
  }

  beforeAll(async () => {
    order = await place();
    accepted = await place();
    expect((await m.seller.api("POST", `/orders/${accepted.seller.id}/accept`, {})).status).toBe(200);
    await eventually(async () => (await orderOn(m.buyer, accepted.buyer.iri)).state === "accepted");
  });

  it("cancel needs a reason", async () => {
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: 42 }]) {
      const res = await m.buyer.api("POST", `/orders/${order.buyer.id}/cancel`, body);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: any) => e.field)).toContain("reason");
    }
  });

  // BUG: an action POSTed without any body skips validation (the routes
  // declare the body `required: false`), so cancel goes through with the
  // made-up reason "No reason given".
  it("cancel with no body at all is refused too", async () => {
    const own = await place();
    const res = await m.buyer.api("POST", `/orders/${own.buyer.id}/cancel`);
    expectProblem(res, 400);
  });

  // BUG: the same gap makes the actions whose body has required lists crash:
  // propose-changes, change, ship and receive without a body answer 500.
  it("actions that need lines or changes refuse a missing body with 400, not 500", async () => {
    const statuses = [
      (await m.seller.api("POST", `/orders/${order.seller.id}/propose-changes`)).status,
      (await m.buyer.api("POST", `/orders/${accepted.buyer.id}/change`)).status,
      (await m.seller.api("POST", `/orders/${accepted.seller.id}/ship`)).status,
      (await m.buyer.api("POST", `/orders/${accepted.buyer.id}/receive`)).status,
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
    const res = await m.seller.api("POST", `/orders/${own.seller.id}/reject`, {});
    expectProblem(res, 400);
    expect(res.body.errors.map((e: any) => e.field)).toContain("reason");
  });

  it("a blank reason is refused even where a reason is optional", async () => {
    const res = await m.seller.api("POST", `/orders/${order.seller.id}/reject`, { reason: " " });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: any) => e.field)).toContain("reason");
  });

  it("propose-changes and change refuse bad changes", async () => {
    const none = await m.seller.api("POST", `/orders/${order.seller.id}/propose-changes`, { changes: [] });
    expectProblem(none, 400);
    expect(none.body.errors.map((e: any) => e.field)).toContain("changes");
    const unknown = await m.seller.api("POST", `/orders/${order.seller.id}/propose-changes`, {
      changes: [{ id: "9", quantity: { amount: "10", unit: "MTR" } }],
    });
    expectProblem(unknown, 409);
    expect(unknown.body.detail).toMatch(/no line 9/);
    const unit = await m.buyer.api("POST", `/orders/${accepted.buyer.id}/change`, {
      changes: [{ id: "1", quantity: { amount: "10", unit: "KGM" } }],
    });
    expectProblem(unit, 409);
    expect(unit.body.detail).toMatch(/unit cannot change/);
    const currency = await m.buyer.api("POST", `/orders/${accepted.buyer.id}/change`, {
      changes: [{ id: "1", unitPrice: { amount: "7", currency: "EUR" } }],
    });
    expectProblem(currency, 409);
    expect(currency.body.detail).toMatch(/one currency per order/);
  });

  it("ship: an unknown line is a conflict with the reason, a zero quantity a bad request", async () => {
    const ship = (lines: unknown) => m.seller.api("POST", `/orders/${accepted.seller.id}/ship`, { lines });

    const before = (await storedEvents(m.seller, accepted.seller.iri)).length;
    const unknown = await ship([{ id: "9", quantity: "1" }]);
    expectProblem(unknown, 409);
    expect(unknown.body.detail).toMatch(/no line 9/);
    expect(unknown.body).toMatchObject({ state: "accepted", allowedActions: expect.arrayContaining(["ship"]) });
    // Refused before anything was stored (or sent).
    expect(await storedEvents(m.seller, accepted.seller.iri)).toHaveLength(before);

    const zero = await ship([{ id: "1", quantity: "0" }]);
    expectProblem(zero, 400);
    expect(zero.body.errors).toContainEqual({ field: "lines.0.quantity", message: "must be more than zero" });

    const number = await ship([{ id: "1", quantity: 1 }]);
    expectProblem(number, 400);
    expect(number.body.errors.map((e: any) => e.field)).toContain("lines.0.quantity");

    const twice = await ship([
      { id: "1", quantity: "1" },
      { id: "1", quantity: "1" },
    ]);
    expectProblem(twice, 409);
    expect(twice.body.detail).toMatch(/line 1 twice/);

    const none = await ship([]);
    expectProblem(none, 400);
    expect(none.body.errors.map((e: any) => e.field)).toContain("lines");

    const receiveUnshipped = await m.buyer.api("POST", `/orders/${accepted.buyer.id}/receive`, {
      lines: [{ id: "1", quantity: "1" }],
    });
    expectProblem(receiveUnshipped, 409);
    expect(receiveUnshipped.body.detail).toMatch(/more than shipped/);
  });

  it("an unknown order is 404 and an id that is not a UUID is 400", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expectProblem(await m.buyer.api("GET", `/orders/${missing}`), 404);
    expectProblem(await m.buyer.api("GET", `/orders/${missing}/ubl`), 404);
    expectProblem(await m.buyer.api("POST", `/orders/${missing}/cancel`, { reason: "x" }), 404);
    expectProblem(await m.seller.api("POST", `/orders/${missing}/accept`, {}), 404);
    for (const res of [
      await m.buyer.api("GET", "/orders/not-a-uuid"),
      await m.buyer.api("POST", "/orders/not-a-uuid/cancel", { reason: "x" }),
      await m.seller.api("POST", "/orders/42/accept", {}),
      // An order's IRI is not its API id.
      await m.buyer.api("GET", `/orders/${encodeURIComponent(order.buyer.iri)}`),
    ]) {
      expectProblem(res, 400);
      expect(res.body.errors.map((e: any) => e.field)).toContain("param.id");
    }
  });

  it("bad list filters are 400 naming the parameter", async () => {
    for (const [query, field] of [
      ["role=owner", "query.role"],
      ["state=shipped", "query.state"],
      ["partner=someone", "query.partner"],
    ]) {
      const res = await m.buyer.api("GET", `/orders?${query}`);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
  });

  it("none of the refused actions changed the orders on either side", async () => {
    // Anything sent would travel ahead of this accept (one ordering key per order).
    expect((await m.seller.api("POST", `/orders/${order.seller.id}/accept`, {})).status).toBe(200);
    const [onBuyer] = await eventually(async () => {
      const pair = [await orderOn(m.buyer, order.buyer.iri), await orderOn(m.seller, order.buyer.iri)];
      return pair[0].version === 2 ? pair : null;
    });
    expect(onBuyer.history.map((h: any) => [h.type, h.outcome])).toEqual([
      ["order", "applied"],
      ["accept", "applied"],
    ]);
    for (const node of [m.buyer, m.seller]) {
      const same = await orderOn(node, accepted.buyer.iri);
      expect(same).toMatchObject({ state: "accepted", version: 2 });
      expect(same.lines.map((l: any) => l.shipped)).toEqual(["0", "0"]);
    }
  });
});
