import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/network.ts";
import { inStateOnBoth, type Market, openMarket, orderBody, orderOn, shared } from "../support/orders.ts";

describe("purchase orders between two co-ops", () => {
  let m: Market;
  beforeAll(async () => {
    m = await openMarket();
  });

  async function place(overrides: Record<string, unknown> = {}) {
    const res = await m.buyer.api("POST", "/orders", orderBody(m, overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  async function act(node: "buyer" | "seller", iri: string, action: string, body: unknown = {}) {
    const order = await orderOn(m[node], iri);
    return await m[node].api("POST", `/orders/${order.id}/${action}`, body);
  }

  it("sends an order, the seller accepts, ships in two parts, the buyer receives: completed on both", async () => {
    const order = await place();
    expect(order).toMatchObject({ state: "sent", role: "buyer", total: "1633.75", currency: "USD" });
    const [, atSeller] = await inStateOnBoth(m, order.iri, "sent");
    expect(atSeller.role).toBe("seller");
    expect(atSeller.allowedActions).toEqual(["accept", "reject", "propose-changes"]);

    expect((await act("seller", order.iri, "accept")).status).toBe(200);
    await inStateOnBoth(m, order.iri, "accepted");
    expect(
      (await act("seller", order.iri, "ship", { lines: [{ id: "1", quantity: "120" }], tracking: "1Z999" })).status,
    ).toBe(200);
    expect(
      (
        await act("seller", order.iri, "ship", {
          lines: [
            { id: "1", quantity: "80" },
            { id: "2", quantity: "30" },
          ],
        })
      ).status,
    ).toBe(200);
    await inStateOnBoth(m, order.iri, "accepted");
    const receiveAll = {
      lines: [
        { id: "1", quantity: "200" },
        { id: "2", quantity: "30" },
      ],
    };
    // The buyer can only receive what it knows was shipped.
    const received = await eventually(async () => {
      const res = await act("buyer", order.iri, "receive", receiveAll);
      return res.status === 200 ? res : null;
    });
    expect(received.body.state).toBe("completed");
    const [b, s] = await inStateOnBoth(m, order.iri, "completed");
    expect(shared(b)).toEqual(shared(s));
    expect(b.history.map((h: any) => h.type)).toEqual(["order", "accept", "ship", "ship", "receive"]);
  });

  it("conditional acceptance: the seller changes a line and drops another, the buyer accepts the changes", async () => {
    const order = await place();
    await inStateOnBoth(m, order.iri, "sent");
    const proposed = await act("seller", order.iri, "propose-changes", {
      changes: [
        { id: "1", quantity: { amount: "150", unit: "MTR" } },
        { id: "2", accepted: false },
      ],
    });
    expect(proposed.status).toBe(200);
    await inStateOnBoth(m, order.iri, "conditionally_accepted");
    expect((await act("buyer", order.iri, "accept-changes")).status).toBe(200);
    const [b, s] = await inStateOnBoth(m, order.iri, "accepted");
    expect(b.total).toBe("1110.00");
    expect(b.lines.map((l: any) => l.status)).toEqual(["changed", "not_accepted"]);
    expect(shared(b)).toEqual(shared(s));
  });

  it("order change after confirmation: rejected by the seller, the confirmed order stands", async () => {
    const order = await place();
    await inStateOnBoth(m, order.iri, "sent");
    await act("seller", order.iri, "accept");
    await inStateOnBoth(m, order.iri, "accepted");
    expect(
      (await act("buyer", order.iri, "change", { changes: [{ id: "1", quantity: { amount: "300", unit: "MTR" } }] }))
        .status,
    ).toBe(200);
    await inStateOnBoth(m, order.iri, "change_requested");
    expect((await act("seller", order.iri, "reject", { reason: "Not enough yarn" })).status).toBe(200);
    const [b] = await inStateOnBoth(m, order.iri, "accepted");
    expect(b.lines[0].quantity.amount).toBe("200");
  });

  it("cancellation: immediate before an answer, by request after", async () => {
    const early = await place();
    expect((await act("buyer", early.iri, "cancel", { reason: "Client cancelled" })).status).toBe(200);
    await inStateOnBoth(m, early.iri, "cancelled");

    const late = await place();
    await inStateOnBoth(m, late.iri, "sent");
    await act("seller", late.iri, "accept");
    await inStateOnBoth(m, late.iri, "accepted");
    await act("buyer", late.iri, "cancel", { reason: "Client cancelled" });
    await inStateOnBoth(m, late.iri, "cancel_requested");
    await act("seller", late.iri, "accept");
    await inStateOnBoth(m, late.iri, "cancelled");
  });

  it("the seller rejects with a reason", async () => {
    const order = await place();
    await inStateOnBoth(m, order.iri, "sent");
    expect((await act("seller", order.iri, "reject", { reason: "Fully booked" })).status).toBe(200);
    const [b] = await inStateOnBoth(m, order.iri, "rejected");
    expect(b.history.at(-1).payload.reason).toBe("Fully booked");
  });

  it("refuses illegal transitions with 409 naming the state and the allowed actions", async () => {
    const order = await place();
    await inStateOnBoth(m, order.iri, "sent");
    const res = await act("buyer", order.iri, "ship", { lines: [{ id: "1", quantity: "1" }] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ state: "sent", allowedActions: ["cancel"] });
    expect((await act("seller", order.iri, "receive", { lines: [{ id: "1", quantity: "1" }] })).status).toBe(409);
    await act("seller", order.iri, "accept");
    await inStateOnBoth(m, order.iri, "accepted");
    const over = await act("seller", order.iri, "ship", { lines: [{ id: "1", quantity: "999" }] });
    expect(over.status).toBe(409);
    expect(over.body.detail).toMatch(/more than ordered/);
    expect((await orderOn(m.seller, order.iri)).version).toBe(2);
  });

  it("exports the order as a UBL 2.1 Order document", async () => {
    const order = await place();
    const res = await m.buyer.api("GET", `/orders/${order.id}/ubl`);
    expect(res.headers.get("content-type")).toMatch(/application\/xml/);
    const xml = res.body as string;
    expect(xml).toContain("<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>");
    expect(xml).toContain('<cbc:Quantity unitCode="MTR">200</cbc:Quantity>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="USD">7.40</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:LineExtensionAmount currencyID="USD">1633.75</cbc:LineExtensionAmount>');
    expect(xml).toContain("<cbc:StartDate>2027-02-01</cbc:StartDate>");
  });
});
