// An order is between its two parties: a third co-op can neither act on it
// (forged activities, with its own key or pretending to be a party) nor
// read it (the buyer's Agreement document, its own API).
import { signRequest } from "@fedify/fedify";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNetwork, type TestNode } from "../support/network.ts";
import { inStateOnBoth, type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";
import {
  activityIri,
  CONTEXT,
  deliverSigned,
  type Envelope,
  envelopeActivity,
  oneLineTerms,
  signedGet,
  storedEvents,
} from "./wire.ts";

let m: Market;
/** The buyer (A), the seller (B) and a third co-op (C) that also follows the seller. */
let buyer: TestNode;
let seller: TestNode;
let outsider: TestNode;
/** The order between A and B, as each sees it when it was sent. */
let order: { atBuyer: any; atSeller: any };

/** Waits until `node` has handled everything delivered to it so far. */
async function settled(node: TestNode): Promise<void> {
  await eventually(async () => (await node.api("GET", "/node")).body.queue.queued === 0);
}

/** An envelope for an event on A/B's order; `overrides` changes the parties or the event. */
function envelope(
  event: Partial<Envelope["event"]> & Pick<Envelope["event"], "type" | "actor" | "payload">,
  overrides: Partial<Omit<Envelope, "event">> = {},
): Envelope {
  return {
    order: order.atBuyer.iri,
    buyer: buyer.actorUrl,
    seller: seller.actorUrl,
    ...overrides,
    event: { id: activityIri(outsider), base: 1, at: new Date().toISOString(), ...event },
  };
}

async function expectUntouched() {
  for (const node of [buyer, seller]) {
    const now = await orderOn(node, order.atBuyer.iri);
    expect(now).toMatchObject({ state: "sent", version: 1, buyer: buyer.actorUrl, seller: seller.actorUrl });
    expect(now.history).toHaveLength(1);
    expect((await storedEvents(node, order.atBuyer.iri)).map((e) => e.id)).toEqual([order.atBuyer.history[0].id]);
  }
}

beforeAll(async () => {
  [seller, buyer, outsider] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
  m = await openMarket([seller, buyer]);
  const placed = await buyer.api("POST", "/orders", orderBody(m));
  expect(placed.status).toBe(201);
  const [atBuyer, atSeller] = await inStateOnBoth(m, placed.body.iri, "sent");
  order = { atBuyer, atSeller };
  // The outsider follows the seller too: it knows the seller's listings, just not the order.
  await outsider.api("POST", "/following", { handle: seller.account });
  await eventually(async () => (await outsider.api("GET", "/timeline")).body.items.length >= 2);
});

describe("a third co-op cannot act on an order between two others", () => {
  it("an Accept signed by the outsider, carrying an envelope for A/B's order, is ignored by the buyer", async () => {
    const offerId = order.atBuyer.history[0].id;
    const forgeries = [
      // The parties as they are: the outsider is neither, so it cannot speak for the seller.
      envelope({ type: "accept", actor: "seller", payload: { type: "accept" } }),
      // The outsider names itself the seller of A's order.
      envelope({ type: "accept", actor: "seller", payload: { type: "accept" } }, { seller: outsider.actorUrl }),
      // An event id on the seller's server, as if the seller had made it.
      envelope({ id: activityIri(seller), type: "accept", actor: "seller", payload: { type: "accept" } }),
      // Rejecting, with a reason the buyer would read.
      envelope({ type: "reject", actor: "seller", payload: { type: "reject", reason: "Forged" } }),
    ];
    for (const forged of forgeries) {
      const type = forged.event.type === "accept" ? "Accept" : "Reject";
      const activity = envelopeActivity(type, outsider.actorUrl, buyer.actorUrl, forged, { object: offerId });
      expect(await deliverSigned(outsider, buyer, activity)).toBe(202);
    }
    await settled(buyer);
    await expectUntouched();
  });

  it("a buyer's event forged by the outsider is ignored by the seller", async () => {
    const cancel = envelope({ type: "cancel", actor: "buyer", payload: { type: "cancel", reason: "Forged" } });
    const undo = envelopeActivity("Undo", outsider.actorUrl, seller.actorUrl, cancel, {
      object: order.atBuyer.history[0].id,
    });
    expect(await deliverSigned(outsider, seller, undo)).toBe(202);
    // The outsider claims to be the buyer of A's order (the order IRI is on A's server).
    const hijack = envelope(
      { type: "cancel", actor: "buyer", payload: { type: "cancel", reason: "Mine now" } },
      { buyer: outsider.actorUrl },
    );
    expect(
      await deliverSigned(
        outsider,
        seller,
        envelopeActivity("Undo", outsider.actorUrl, seller.actorUrl, hijack, { object: order.atBuyer.iri }),
      ),
    ).toBe(202);
    // Nor can it place an order under A's order IRI as its own.
    const offer = envelope(
      { type: "order", actor: "buyer", base: 0, payload: { type: "order", terms: oneLineTerms(m.jerseyIri, "100") } },
      { buyer: outsider.actorUrl },
    );
    expect(
      await deliverSigned(
        outsider,
        seller,
        envelopeActivity("Offer", outsider.actorUrl, seller.actorUrl, offer, { object: order.atBuyer.iri }),
      ),
    ).toBe(202);
    await settled(seller);
    await expectUntouched();
    expect((await seller.api("GET", "/orders")).body.items).toHaveLength(1);
  });

  it("an activity claiming the seller as its actor but signed by the outsider is refused", async () => {
    const accept = envelope({ id: activityIri(seller), type: "accept", actor: "seller", payload: { type: "accept" } });
    const activity = envelopeActivity("Accept", seller.actorUrl, buyer.actorUrl, accept, {
      object: order.atBuyer.history[0].id,
    });
    // Signed with the outsider's key, named as the outsider's: the signer is not the actor.
    expect(await deliverSigned(outsider, buyer, activity)).toBe(401);
    // Signed with the outsider's key but naming the seller's key: the signature does not verify.
    const [rsa] = outsider.node.deps.services.keyPairs;
    const request = new Request(`${buyer.origin}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify({ "@context": CONTEXT, ...activity }),
    });
    const res = await fetch(await signRequest(request, rsa!.privateKey, new URL(`${seller.actorUrl}#main-key`)));
    expect(res.status).toBe(401);
    await settled(buyer);
    await expectUntouched();
  });
});

describe("a third co-op cannot read an order between two others", () => {
  it("the buyer's Agreement document is served to the parties only", async () => {
    const iri = order.atBuyer.iri;
    const anonymous = await signedGet(null, iri);
    const byOutsider = await signedGet(outsider, iri);
    expect(anonymous.status).toBe(401);
    expect(byOutsider.status).toBe(401);
    for (const res of [anonymous, byOutsider]) {
      const text = await res.text();
      expect(text).not.toContain(m.jerseyIri);
      expect(text).not.toContain("Order of");
    }

    const bySeller = await signedGet(seller, iri);
    expect(bySeller.status).toBe(200);
    const agreement = await bySeller.json();
    expect(agreement).toMatchObject({
      id: iri,
      type: "Agreement",
      attributedTo: buyer.actorUrl,
      name: "Order of 2 lines",
      stipulates: { type: "Commitment", satisfies: m.jerseyIri },
    });
    expect((await signedGet(buyer, iri)).status).toBe(200);

    // A page request for it shows nothing either, and the seller's server has no such document.
    const page = await fetch(iri, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toContain("Organic cotton jersey");
    const onSeller = `${seller.origin}${new URL(iri).pathname}`;
    expect((await signedGet(buyer, onSeller)).status).not.toBe(200);
  });

  it("the outsider's own API knows nothing of the order", async () => {
    expect((await outsider.api("GET", "/orders")).body.items).toEqual([]);
    expect((await outsider.api("GET", `/orders?partner=${encodeURIComponent(buyer.actorUrl)}`)).body.items).toEqual([]);
    expect(await storedEvents(outsider)).toEqual([]);
    // The parties' ids do not resolve there.
    expect((await outsider.api("GET", `/orders/${order.atBuyer.id}`)).status).toBe(404);
    expect((await outsider.api("GET", `/orders/${order.atSeller.id}`)).status).toBe(404);
  });

  it("after all that, the parties carry on as if nothing happened", async () => {
    expect((await seller.api("POST", `/orders/${order.atSeller.id}/accept`, {})).status).toBe(200);
    const [b, s] = await inStateOnBoth(m, order.atBuyer.iri, "accepted");
    for (const view of [b, s]) {
      expect(view.history.map((h: any) => [h.type, h.outcome])).toEqual([
        ["order", "applied"],
        ["accept", "applied"],
      ]);
      expect(new URL(view.history[1].id).origin).toBe(seller.origin);
    }
  });
});
