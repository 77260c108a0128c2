// The seller's node checks every new order against its own listings as they
// are now, whatever the buyer's node let through: an order that does not
// fit is answered with a Reject carrying the reason, on both sides.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNetwork, type TestNode } from "../support/network.ts";
import { inStateOnBoth, jersey, type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";
import { deliverSigned, oneLineTerms, storedEvents, weftOffer } from "./wire.ts";

let m: Market;
let seller: TestNode;
let buyer: TestNode;
/** A co-op that does not follow the seller. */
let stranger: TestNode;

beforeAll(async () => {
  [seller, buyer, stranger] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
  m = await openMarket([seller, buyer]);
});

/** Calls `node`'s API in-process, past its HTTP server (which may be paused). */
async function apiInProcess(node: TestNode, method: string, path: string, body?: unknown) {
  const response = await node.node.app.fetch(
    new Request(`${node.origin}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${await node.token()}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json() };
}

async function listingId(node: TestNode, iri: string): Promise<string> {
  const items = (await node.api("GET", "/listings")).body.items;
  return items.find((l: any) => l.iri === iri).id;
}

/** The last history entry's reason: the seller's Reject. */
function rejection(order: any): string {
  const last = order.history.at(-1);
  expect(last).toMatchObject({ type: "reject", by: "seller", outcome: "applied" });
  return last.payload.reason;
}

/**
 * Delivers a Weft Offer of `terms` from `from` straight to the seller's inbox
 * (as a node with other checks, or none, would send it) and waits for the
 * seller's answer. Returns the order as the seller has it.
 */
async function offerDirectly(from: TestNode, terms: ReturnType<typeof oneLineTerms>, state = "rejected") {
  const { envelope, activity } = weftOffer(from, seller, terms);
  expect(await deliverSigned(from, seller, activity)).toBe(202);
  const atSeller = await eventually(async () => {
    const order = await orderOn(seller, envelope.order);
    return order?.state === state ? order : null;
  });
  expect(atSeller).toMatchObject({ role: "seller", buyer: from.actorUrl, seller: seller.actorUrl });
  if (state !== "sent") return { envelope, atSeller };
  // "sent" is also what an order shows for a moment before its check answers: let the check run.
  await eventually(async () => (await seller.api("GET", "/node")).body.queue.queued === 0);
  const settled = await orderOn(seller, envelope.order);
  expect(settled.state).toBe("sent");
  return { envelope, atSeller: settled };
}

describe("the seller's node re-checks orders on arrival", () => {
  it("the listing shrank while the order was on its way: rejected on both sides, with the reason", async () => {
    const id = await listingId(seller, m.jerseyIri);
    // The seller's node is unreachable for a moment, so the order waits in the buyer's queue…
    seller.pause();
    try {
      const placed = await buyer.api("POST", "/orders", orderBody(m, { lines: [orderBody(m).lines[0]] }));
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ state: "sent", total: "1480.00" });
      await eventually(async () => (await buyer.api("GET", "/node")).body.queue.delayed >= 1);
      expect(await storedEvents(seller, placed.body.iri)).toEqual([]);
      // …and meanwhile the seller sells most of the jersey elsewhere.
      const patched = await apiInProcess(seller, "PATCH", `/listings/${id}`, {
        quantity: { amount: "100", unit: "MTR" },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.quantity).toEqual({ amount: "100", unit: "MTR" });
      seller.resume();

      const [atBuyer, atSeller] = await inStateOnBoth(m, placed.body.iri, "rejected");
      expect(rejection(atSeller)).toMatch(/line 1: quantity\.amount is more than the 100 available/);
      expect(rejection(atBuyer)).toBe(rejection(atSeller));
      expect(atBuyer.allowedActions).toEqual([]);
      expect(atBuyer.history.map((h: any) => h.type)).toEqual(["order", "reject"]);
    } finally {
      seller.resume();
    }
    // The buyer heard of the change as well: its own check now stops such an order.
    await eventually(
      async () =>
        (await buyer.api("GET", "/timeline")).body.items.find((l: any) => l.iri === m.jerseyIri)?.quantity.amount ===
        "100",
    );
    const again = await buyer.api("POST", "/orders", orderBody(m, { lines: [orderBody(m).lines[0]] }));
    expect(again.status).toBe(400);
    expect(again.body.errors).toContainEqual({
      field: "lines.0.quantity.amount",
      message: "is more than the 100 available",
    });
    await seller.api("PATCH", `/listings/${id}`, { quantity: { amount: "500", unit: "MTR" } });
  });

  it("an order that never passed the buyer's checks (600 of 500 MTR, sent straight to the inbox) is rejected", async () => {
    const { envelope, atSeller } = await offerDirectly(buyer, oneLineTerms(m.jerseyIri, "600"));
    expect(atSeller.total).toBe("4440.00");
    expect(rejection(atSeller)).toMatch(/quantity\.amount is more than the 500 available/);
    // The Reject went back to the buyer's node, which stored it but shows no order it never placed.
    const rejectId = atSeller.history.at(-1).id;
    await eventually(async () => (await storedEvents(buyer, envelope.order)).some((e) => e.id === rejectId));
    expect(await orderOn(buyer, envelope.order)).toBeUndefined();
  });

  it("each rule of the listing is checked again by the seller", async () => {
    const paused = (await seller.api("POST", "/listings", { ...jersey, title: "Paused", status: "paused" })).body;
    const need = (
      await seller.api("POST", "/listings", { ...jersey, kind: "need", title: "We need yarn", minimumOrder: null })
    ).body;
    expect(need.iri).toBeTruthy();
    const gone = (await seller.api("POST", "/listings", { ...jersey, title: "Gone" })).body;
    expect((await seller.api("DELETE", `/listings/${gone.id}`)).status).toBe(204);
    const otherSellers = (await stranger.api("POST", "/listings", jersey)).body;
    const cases: [ReturnType<typeof oneLineTerms>, RegExp][] = [
      [oneLineTerms(m.jerseyIri, "20"), /quantity\.amount is below the minimum order of 50/],
      [
        {
          ...oneLineTerms(m.jerseyIri, "100"),
          lines: [{ ...oneLineTerms(m.jerseyIri, "100").lines[0]!, quantity: { amount: "100", unit: "KGM" } }],
        },
        /quantity\.unit must be MTR/,
      ],
      [
        {
          ...oneLineTerms(m.jerseyIri, "100"),
          currency: "EUR",
          lines: [{ ...oneLineTerms(m.jerseyIri, "100").lines[0]!, unitPrice: { amount: "7.40", currency: "EUR" } }],
        },
        /unitPrice\.currency must be USD/,
      ],
      [oneLineTerms(paused.iri, "100"), /listing is no longer available/],
      [oneLineTerms(need.iri, "100"), /listing is a need, not an offer/],
      [oneLineTerms(gone.iri, "100"), /listing is not a listing this co-op can order from/],
      [oneLineTerms(otherSellers.iri, "100"), /listing is not a listing this co-op can order from/],
      [
        oneLineTerms(`${seller.origin}/listings/00000000-0000-4000-8000-000000000099`, "100"),
        /listing is not a listing this co-op can order from/,
      ],
    ];
    for (const [terms, reason] of cases) {
      const { atSeller } = await offerDirectly(buyer, terms);
      expect(rejection(atSeller)).toMatch(reason);
    }
    // Several problems: all of them in the one reason.
    const two = oneLineTerms(m.jerseyIri, "600");
    two.lines.push({ ...two.lines[0]!, id: "2", listing: m.ribIri, quantity: { amount: "30", unit: "KGM" } });
    const { atSeller } = await offerDirectly(buyer, two);
    expect(rejection(atSeller)).toMatch(/^line 1: quantity\.amount .*; line 2: quantity\.unit must be MTR/);
  });

  it("a fitting order sent straight to the inbox is taken (the checks are not too strict)", async () => {
    const { atSeller } = await offerDirectly(buyer, oneLineTerms(m.jerseyIri, "500"), "sent");
    expect(atSeller).toMatchObject({ total: "3700.00", allowedActions: ["accept", "reject", "propose-changes"] });
  });
});

describe("listings not shown to the buyer cannot be ordered", () => {
  it("a followers-only listing, ordered by a co-op that does not follow, is rejected", async () => {
    const secret = (
      await seller.api("POST", "/listings", { ...jersey, title: "For followers", visibility: "followers" })
    ).body;
    const { atSeller } = await offerDirectly(stranger, oneLineTerms(secret.iri, "100"));
    expect(rejection(atSeller)).toMatch(/line 1: listing is not a listing this co-op can order from/);
    // The Reject reached the stranger's node (the seller looked its actor up to answer).
    const rejectId = atSeller.history.at(-1).id;
    await eventually(async () => (await storedEvents(stranger, atSeller.iri)).some((e) => e.id === rejectId));
  });

  it("a partners-only listing, ordered by a follower that is not a partner, is rejected", async () => {
    const partners = (
      await seller.api("POST", "/listings", { ...jersey, title: "For a partner", visibility: [stranger.actorUrl] })
    ).body;
    expect(partners.iri).toBeTruthy();
    const { atSeller } = await offerDirectly(buyer, oneLineTerms(partners.iri, "100"));
    expect(rejection(atSeller)).toMatch(/listing is not a listing this co-op can order from/);
    // The partner itself may order it.
    const { atSeller: fromPartner } = await offerDirectly(stranger, oneLineTerms(partners.iri, "100"), "sent");
    expect(fromPartner.state).toBe("sent");
  });

  it("a follower the seller removed still has the listing, but its order is rejected", async () => {
    const secret = (
      await seller.api("POST", "/listings", { ...jersey, title: "Was for followers", visibility: "followers" })
    ).body;
    await eventually(async () =>
      (await buyer.api("GET", "/timeline")).body.items.some((l: any) => l.iri === secret.iri),
    );
    const follower = (await seller.api("GET", "/followers")).body.items.find(
      (f: any) => f.actor.iri === buyer.actorUrl,
    );
    expect((await seller.api("DELETE", `/followers/${follower.id}`)).status).toBe(204);
    await eventually(async () =>
      (await buyer.api("GET", "/following")).body.items.every((f: any) => f.state !== "accepted"),
    );

    const placed = await buyer.api(
      "POST",
      "/orders",
      orderBody(m, { lines: [{ ...orderBody(m).lines[0], listing: secret.iri }] }),
    );
    // The buyer's node kept its copy of the listing and lets the order go out…
    expect(placed.status).toBe(201);
    // …and the seller, who no longer shows it to this co-op, rejects it.
    const [atBuyer, atSeller] = await inStateOnBoth(m, placed.body.iri, "rejected");
    expect(rejection(atSeller)).toMatch(/^line 1: listing is not a listing this co-op can order from$/);
    expect(rejection(atBuyer)).toBe(rejection(atSeller));
  });
});
