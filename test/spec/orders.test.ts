// Keeps spec/orders.md and its examples honest: each example parses with
// Fedify; its Weft envelope parses with envelopeOf() and its payload with
// the payload schemas; an activity built with activityOf() survives
// Fedify's serialisation with the envelope intact (what Fedify cannot carry
// travels in the attachment); what two live nodes put on the wire during an
// order (watched through wire taps) has the shape of the examples; folding
// the example events gives the states the spec's tables say; and a plain
// FEP-0837 Offer is read and answered as the spec says.
import { getDocumentLoader, signRequest, verifyObject } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Add,
  Agreement,
  Object as ASObject,
  Document,
  Offer,
  Reject,
  TentativeAccept,
  Undo,
  Update,
} from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldOrder, type OrderEvent, type OrderTerms } from "../../src/domain/orders/machine.ts";
import { lineTotal } from "../../src/domain/orders/money.ts";
import { PAYLOAD_SCHEMAS } from "../../src/domain/orders/payloads.ts";
import {
  activityOf,
  envelopeOf,
  ORDER_EVENT_MEDIA_TYPE,
  type OrderEnvelope,
} from "../../src/federation/order-vocab.ts";
import { eventually, type TestNode } from "../support/network.ts";
import { type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";
import { ORDER_EXAMPLES } from "./catalogue.ts";
import { type Delivery, RecordingPeer } from "./peer.ts";
import { example, exampleFiles, type Json, shapeDifferences, withOrigins } from "./shape.ts";
import { startTappedNode, type WireTap } from "./tap.ts";

const DYE = "https://dye.example";
const KNIT = "https://knit.example";
const AP = { accept: "application/activity+json" };
const ORDER_IRI = `${KNIT}/orders/1b9d6e3f-8a2c-4d5b-9f7e-0c4a6e8b2d71`;
const OFFER_ID = `${KNIT}/activities/5d2c8a41-7b3e-4f9a-a6c1-0e8d2b4f6a93`;

const offline = {
  documentLoader: async (url: string): Promise<never> => {
    throw new Error(`The example made Fedify fetch ${url}`);
  },
};
const parse = (json: unknown) => ASObject.fromJsonLd(json, offline);

/** Each Weft example: its activity class, and the Weft event it carries. */
const ACTIVITIES = {
  "offer-order.json": [Offer, "order"],
  "accept-order.json": [Accept, "accept"],
  "tentative-accept.json": [TentativeAccept, "propose_changes"],
  "reject-order.json": [Reject, "reject"],
  "update-change.json": [Update, "change"],
  "undo-cancel.json": [Undo, "cancel"],
  "add-shipment.json": [Add, "ship"],
  "add-receipt.json": [Add, "receive"],
} as const;
type WeftExample = keyof typeof ACTIVITIES;
const WEFT_EXAMPLES = Object.keys(ACTIVITIES) as WeftExample[];

/** The envelope written in an example's attachment. */
function envelopeIn(json: Json): OrderEnvelope {
  const attachment = (json as { attachment: { content: string }[] }).attachment[0];
  return JSON.parse(attachment?.content ?? "null") as OrderEnvelope;
}
const eventOf = (file: WeftExample): OrderEvent => envelopeIn(example(file)).event;

function withoutIntegrity(body: Record<string, unknown>): Record<string, unknown> {
  const { proof: _proof, signature: _signature, ...rest } = body;
  return rest;
}

/**
 * What orders.md says an order activity carries: an HTTP signature by the
 * sender's RSA key (RFC 9421 first, covering the body's digest) and an
 * FEP-8b32 proof by its Ed25519 key that verifies, but no Linked Data signature.
 */
async function expectSignedAsOrders(delivery: Delivery, actorUrl: string): Promise<void> {
  expect(delivery.headers["signature-input"]).toMatch(
    new RegExp(`"content-digest"\\);alg="rsa-v1_5-sha256";keyid="${actorUrl}#main-key";`),
  );
  expect(delivery.headers["content-digest"]).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
  expect(delivery.body.signature).toBeUndefined();
  expect(delivery.body.proof).toMatchObject({
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    verificationMethod: `${actorUrl}#multikey-2`,
  });
  const loader = getDocumentLoader({ allowPrivateAddress: true });
  const verified = await verifyObject(Activity, delivery.body, { documentLoader: loader, contextLoader: loader });
  expect(verified?.id?.href).toBe(delivery.body.id);
}

describe("(a) the order examples parse with Fedify, and carry a valid Weft envelope", () => {
  it("are all in spec/examples", () => {
    expect(exampleFiles()).toEqual(expect.arrayContaining(ORDER_EXAMPLES));
  });

  for (const file of WEFT_EXAMPLES) {
    const [type, eventType] = ACTIVITIES[file];
    it(`${file} is ${type.name} carrying a '${eventType}' event whose payload validates`, async () => {
      const activity = (await parse(example(file))) as Activity;
      expect(activity).toBeInstanceOf(type);
      const envelope = await envelopeOf(activity);
      expect(envelope).toEqual(envelopeIn(example(file)));
      expect(envelope?.order).toBe(ORDER_IRI);
      expect([envelope?.buyer, envelope?.seller]).toEqual([`${KNIT}/coops/coop`, `${DYE}/coops/coop`]);
      const event = envelope?.event as OrderEvent;
      expect(event.type).toBe(eventType);
      // The event is the activity: same id, made by the party that sends it.
      expect(event.id).toBe(activity.id?.href);
      expect(activity.actorId?.href).toBe(event.actor === "buyer" ? envelope?.buyer : envelope?.seller);
      expect(activity.toIds.map((i) => i.href)).toEqual([event.actor === "buyer" ? envelope?.seller : envelope?.buyer]);
      expect(activity.published?.toString()).toBe(event.at.replace(".000Z", "Z"));
      const payload = PAYLOAD_SCHEMAS[event.type].safeParse(event.payload);
      expect(payload.success).toBe(true);
      expect(payload.data).toEqual(event.payload);
    });
  }

  it("offer-order.json offers the order's Agreement: first line as the Commitment pair, to the seller", async () => {
    const offer = (await parse(example("offer-order.json"))) as Offer;
    expect(offer.id?.href).toBe(OFFER_ID);
    expect(offer.targetId?.href).toBe(`${DYE}/coops/coop`);
    const agreement = (await offer.getObject(offline)) as Agreement;
    expect(agreement).toBeInstanceOf(Agreement);
    expect(agreement.id?.href).toBe(ORDER_IRI);
    expect(agreement.attributionId?.href).toBe(`${KNIT}/coops/coop`);
    const terms = (eventOf("offer-order.json").payload as { terms: OrderTerms }).terms;
    expect(terms.lines).toHaveLength(2);
    const first = terms.lines[0];
    expect(agreement.stipulates?.satisfies?.href).toBe(first?.listing);
    expect(String(agreement.stipulates?.resourceQuantity?.numericalValue)).toBe(first?.quantity.amount);
    expect(agreement.stipulates?.resourceQuantity?.unit).toBe(first?.quantity.unit);
    expect(String(agreement.stipulatesReciprocal?.resourceQuantity?.numericalValue)).toBe("1480.00");
    expect(agreement.stipulatesReciprocal?.resourceQuantity?.unit).toBe("USD");
    const attachments = [];
    for await (const a of offer.getAttachments(offline)) attachments.push(a);
    const [attachment] = attachments;
    expect(attachment).toBeInstanceOf(Document);
    expect((attachment as Document).mediaType).toBe(ORDER_EVENT_MEDIA_TYPE);
  });

  it("answers name what they answer: the Offer, the TentativeAccept, the Update or the Undo, by IRI", async () => {
    for (const file of ["accept-order.json", "tentative-accept.json", "reject-order.json", "undo-cancel.json"]) {
      expect([file, ((await parse(example(file))) as Activity).objectId?.href]).toEqual([file, OFFER_ID]);
    }
    const accept = (await parse(example("accept-order.json"))) as Accept;
    const result = await accept.getResult({ ...offline, crossOrigin: "trust" });
    expect(result).toBeInstanceOf(Agreement);
    expect(result?.id?.href).toBe(ORDER_IRI);
    const reject = (await parse(example("reject-order.json"))) as Reject;
    expect(reject.content?.toString()).toBe((eventOf("reject-order.json").payload as { reason: string }).reason);
    const undo = (await parse(example("undo-cancel.json"))) as Undo;
    expect(undo.content?.toString()).toBe((eventOf("undo-cancel.json").payload as { reason: string }).reason);
    const update = (await parse(example("update-change.json"))) as Update;
    expect((await update.getObject(offline))?.id?.href).toBe(ORDER_IRI);
    for (const file of ["add-shipment.json", "add-receipt.json"] as const) {
      const add = (await parse(example(file))) as Add;
      expect(add.targetId?.href).toBe(ORDER_IRI);
      expect(await add.getObject(offline)).toBeInstanceOf(Document);
    }
  });

  it("order-agreement.json is the order's Agreement as the buyer serves it", async () => {
    const agreement = (await parse(example("order-agreement.json"))) as Agreement;
    expect(agreement).toBeInstanceOf(Agreement);
    expect(agreement.id?.href).toBe(ORDER_IRI);
    expect(agreement.stipulates?.satisfies?.href).toBe(`${DYE}/listings/3f6b2a1c-8d4e-4f5a-9b7c-2e1d0a9f8b7c`);
  });

  it("fep0837-offer.json is a plain FEP-0837 Offer of an Agreement, with no Weft envelope", async () => {
    const offer = (await parse(example("fep0837-offer.json"))) as Offer;
    expect(offer).toBeInstanceOf(Offer);
    expect(await envelopeOf(offer)).toBeNull();
    const agreement = (await offer.getObject(offline)) as Agreement;
    expect(agreement).toBeInstanceOf(Agreement);
    expect(agreement.id).toBeNull();
    expect(agreement.stipulates?.satisfies?.href).toBe(`${DYE}/listings/3f6b2a1c-8d4e-4f5a-9b7c-2e1d0a9f8b7c`);
    expect(String(agreement.stipulatesReciprocal?.resourceQuantity?.numericalValue)).toBe("740.00");
  });
});

describe("(b) what Fedify cannot carry travels in the envelope: activityOf() → JSON-LD → Fedify → envelopeOf()", () => {
  const orderTerms = (eventOf("offer-order.json").payload as { terms: OrderTerms }).terms;
  const [jersey, rib] = orderTerms.lines as [OrderTerms["lines"][0], OrderTerms["lines"][0]];
  /** The terms each activity's Agreement shows (the node shows the order with the event's changes applied). */
  const TERMS: Partial<Record<WeftExample, OrderTerms>> = {
    "offer-order.json": orderTerms,
    "accept-order.json": orderTerms,
    "tentative-accept.json": { ...orderTerms, lines: [{ ...jersey, quantity: { amount: "150", unit: "MTR" } }] },
    "update-change.json": { ...orderTerms, lines: [jersey, { ...rib, quantity: { amount: "40", unit: "MTR" } }] },
  };

  for (const file of WEFT_EXAMPLES) {
    it(`${file}`, async () => {
      const json = example(file) as Record<string, Json>;
      const envelope = envelopeIn(json);
      const mine = envelope.event.actor === "buyer" ? envelope.buyer : envelope.seller;
      const theirs = envelope.event.actor === "buyer" ? envelope.seller : envelope.buyer;
      const refersTo = typeof json.object === "string" ? json.object : null;
      const built = activityOf(envelope, mine, theirs, TERMS[file] ?? null, refersTo);
      const compact = (await built.toJsonLd({ format: "compact" })) as Record<string, Json>;
      // Shaped like the example, the same @context included.
      const { "@context": sentContext, ...expected } = json;
      const { "@context": builtContext, ...actual } = compact;
      // On sending, Fedify also writes a single attachment as an array (as Mastodon expects).
      actual.attachment = [actual.attachment as Json].flat();
      expect(shapeDifferences(expected, actual)).toEqual([]);
      expect(builtContext).toEqual(sentContext);
      // And back: Fedify parses it to the same class, and the envelope comes out intact.
      const reparsed = await Activity.fromJsonLd(compact, offline);
      expect(reparsed).toBeInstanceOf(ACTIVITIES[file][0]);
      expect(await envelopeOf(reparsed)).toEqual(envelope);
    });
  }

  it("an Agreement alone keeps only the first line: the second line of offer-order.json is nowhere but the envelope", async () => {
    const offer = (await parse(example("offer-order.json"))) as Offer;
    const compact = JSON.stringify(await (await offer.getObject(offline))?.toJsonLd({ format: "compact" }));
    expect(compact).toContain(jersey.listing);
    expect(compact).not.toContain(rib.listing);
    expect(JSON.stringify(envelopeIn(example("offer-order.json")))).toContain(rib.listing);
  });

  it("envelopeOf() refuses an envelope whose payload type is not its event type", async () => {
    const json = example("accept-order.json") as Record<string, Json>;
    const envelope = envelopeIn(json);
    const broken = { ...envelope, event: { ...envelope.event, payload: { type: "reject", reason: "x" } } };
    const attachment = [{ type: "Document", mediaType: ORDER_EVENT_MEDIA_TYPE, content: JSON.stringify(broken) }];
    expect(await envelopeOf((await parse({ ...json, attachment })) as Activity)).toBeNull();
  });

  it("envelopeOf() skips a Weft Document whose content does not parse and reads the next one", async () => {
    const json = example("accept-order.json") as Record<string, Json>;
    const [envelope] = json.attachment as Json[];
    const broken = { type: "Document", mediaType: ORDER_EVENT_MEDIA_TYPE, content: "{not json" };
    const activity = (await parse({ ...json, attachment: [broken, envelope as Json] })) as Activity;
    expect(await envelopeOf(activity)).toEqual(envelopeIn(json));
  });
});

describe("(c) folding the example events gives the states orders.md lists", () => {
  const e = (file: WeftExample) => eventOf(file);
  const order = e("offer-order.json");
  const accept = e("accept-order.json");
  /** An event of our own making, on `base`, with a fixed id. */
  const made = (id: string, type: OrderEvent["type"], actor: OrderEvent["actor"], base: number, payload: object) =>
    ({
      id: `${KNIT}/activities/${id}`,
      type,
      actor,
      base,
      at: "2026-03-11T00:00:00.000Z",
      payload: { type, ...payload },
    }) as OrderEvent;

  const TABLE: [string, OrderEvent[], string, number][] = [
    ["offer-order", [order], "sent", 1],
    ["+ accept-order", [order, accept], "accepted", 2],
    ["+ tentative-accept", [order, e("tentative-accept.json")], "conditionally_accepted", 2],
    ["+ reject-order", [order, e("reject-order.json")], "rejected", 2],
    ["+ accept-order + update-change", [order, accept, e("update-change.json")], "change_requested", 3],
    ["+ accept-order + undo-cancel", [order, accept, e("undo-cancel.json")], "cancel_requested", 3],
    ["+ accept-order + add-shipment", [order, accept, e("add-shipment.json")], "accepted", 3],
    [
      "+ accept-order + add-shipment + add-receipt",
      [order, accept, e("add-shipment.json"), e("add-receipt.json")],
      "completed",
      4,
    ],
  ];
  for (const [name, events, state, version] of TABLE) {
    it(`${name} → ${state}, version ${version}, whatever the order of arrival and however often`, () => {
      const view = foldOrder(events);
      expect([view?.state, view?.version]).toEqual([state, version]);
      const shuffled = [...events, ...events].reverse();
      expect(foldOrder(shuffled)).toEqual(view);
    });
  }

  it("totals are exact decimals, rounded half-even to the currency's minor unit", () => {
    const view = foldOrder([order]);
    expect(view?.lines.map((l) => l.total)).toEqual(["1480.00", "153.75"]);
    expect(view?.total).toBe("1633.75");
    expect([lineTotal("1", "5.125", "USD"), lineTotal("3", "5.125", "USD"), lineTotal("1", "5.135", "USD")]).toEqual([
      "5.12",
      "15.38",
      "5.14",
    ]);
    expect([lineTotal("3", "333.5", "JPY"), lineTotal("1", "1.2345", "BHD")]).toEqual(["1000", "1.234"]);
    // Exact however many digits: 21 significant digits round once, to the cent.
    expect(lineTotal("1", "123456789012345.014999", "USD")).toBe("123456789012345.01");
  });

  it("the buyer accepting the seller's changes applies them: line 1 changed, line 2 not accepted", () => {
    const acceptChanges = made("accept-changes", "accept_changes", "buyer", 2, {});
    const view = foldOrder([order, e("tentative-accept.json"), acceptChanges]);
    expect(view?.state).toBe("accepted");
    expect(view?.lines.map((l) => [l.status, l.quantity.amount, l.total])).toEqual([
      ["changed", "150", "1110.00"],
      ["not_accepted", "30", "0"],
    ]);
    expect(view?.total).toBe("1110.00");
  });

  it("race: the buyer cancels while the seller accepts (both on version 1) → accepted, then a cancellation request", () => {
    const cancel = { ...e("undo-cancel.json"), base: 1 };
    for (const events of [
      [order, accept, cancel],
      [cancel, order, accept],
    ]) {
      const view = foldOrder(events);
      expect(view?.state).toBe("cancel_requested");
      expect(view?.history.map((h) => [h.event.type, h.outcome, h.state])).toEqual([
        ["order", "applied", "sent"],
        ["accept", "applied", "accepted"],
        ["cancel", "applied", "cancel_requested"],
      ]);
    }
    // Before the seller answered, cancelling is immediate.
    expect(foldOrder([order, cancel])?.state).toBe("cancelled");
  });

  it("an event that no longer applies is kept in the history as refused, with its reason, and changes nothing", () => {
    const view = foldOrder([order, e("reject-order.json"), { ...accept, base: 2 }]);
    expect(view?.state).toBe("rejected");
    expect(view?.version).toBe(2);
    expect(view?.history.at(-1)).toMatchObject({ outcome: "refused", reason: "not allowed when rejected", version: 2 });
    // Events by the wrong party are refused too.
    const forged = { ...accept, actor: "buyer" as const };
    expect(foldOrder([order, forged])?.history.at(-1)).toMatchObject({
      outcome: "refused",
      reason: "accept is for the seller",
    });
  });

  it("on one version the seller's answers come first, then shipments, then the buyer's requests, then receipts", () => {
    const receive = { ...e("add-receipt.json"), base: 2 };
    const view = foldOrder([order, accept, receive, { ...e("add-shipment.json"), base: 2 }]);
    expect(view?.history.map((h) => h.event.type)).toEqual(["order", "accept", "ship", "receive"]);
    expect(view?.state).toBe("completed");
  });

  it("an event on a base not after its author's previous event is refused: a cancellation claiming base 0 does not cancel at once", () => {
    const view = foldOrder([order, accept, { ...e("undo-cancel.json"), base: 0 }]);
    expect([view?.state, view?.version]).toEqual(["accepted", 2]);
    expect(view?.history.map((h) => [h.event.type, h.outcome])).toEqual([
      ["order", "applied"],
      ["cancel", "refused"],
      ["accept", "applied"],
    ]);
    expect(view?.history[1]?.reason).toBe("made on version 0, not after its author's previous event (on version 0)");
  });

  it("no order event, no order: events that arrive first wait for it", () => {
    expect(foldOrder([accept, e("add-shipment.json")])).toBeNull();
  });
});

describe("(d) what two live nodes send during an order has the shape of the examples", () => {
  let dye: { node: TestNode; tap: WireTap };
  let knit: { node: TestNode; tap: WireTap };
  let m: Market;
  let origins: Record<string, string>;

  beforeAll(async () => {
    dye = await startTappedNode();
    knit = await startTappedNode();
    m = await openMarket([dye.node, knit.node]); // dye sells, knit buys
    origins = { [DYE]: dye.node.origin, [KNIT]: knit.node.origin };
  });

  /** The delivery carrying `type` for order `iri`, as the other party's tap saw it. */
  async function sent(type: OrderEvent["type"], iri: string): Promise<Delivery> {
    const tap = ["order", "change", "cancel", "accept_changes", "receive"].includes(type) ? dye.tap : knit.tap;
    return await eventually(() =>
      tap.deliveries.find((d) => {
        const attachment = (d.body.attachment as { content?: string }[] | undefined)?.[0];
        if (!attachment?.content) return false;
        const envelope = JSON.parse(attachment.content) as OrderEnvelope;
        return envelope.order === iri && envelope.event.type === type;
      }),
    );
  }

  function expectLike(file: WeftExample, delivery: Delivery): void {
    expect(delivery.status).toBe(202);
    expect(delivery.path).toBe("/coops/coop/inbox"); // the counterparty's own inbox, not a shared one
    const expected = withOrigins(example(file), origins);
    expect(shapeDifferences(expected, withoutIntegrity(delivery.body))).toEqual([]);
    expect(shapeDifferences(envelopeIn(expected) as unknown as Json, envelopeIn(delivery.body as Json))).toEqual([]);
  }

  async function place(): Promise<string> {
    const res = await m.buyer.api("POST", "/orders", orderBody(m));
    expect(res.status).toBe(201);
    await eventually(async () => (await orderOn(m.seller, res.body.iri))?.state === "sent");
    return res.body.iri;
  }

  async function act(side: "buyer" | "seller", iri: string, action: string, body: unknown = {}) {
    const order = await orderOn(m[side], iri);
    const res = await m[side].api("POST", `/orders/${order.id}/${action}`, body);
    expect(res.status).toBe(200);
  }

  const inState = (iri: string, state: string) =>
    eventually(
      async () => (await orderOn(m.buyer, iri))?.state === state && (await orderOn(m.seller, iri))?.state === state,
    );

  const BOTH_LINES = [
    { id: "1", quantity: "200" },
    { id: "2", quantity: "30" },
  ];

  it("order, accept, shipment, receipt: offer-order, accept-order, add-shipment, add-receipt", async () => {
    const iri = await place();
    expectLike("offer-order.json", await sent("order", iri));
    await act("seller", iri, "accept");
    expectLike("accept-order.json", await sent("accept", iri));
    await inState(iri, "accepted");
    await act("seller", iri, "ship", { lines: BOTH_LINES, date: "2027-02-03", tracking: "1Z999AA10123456784" });
    expectLike("add-shipment.json", await sent("ship", iri));
    await eventually(async () => (await orderOn(m.buyer, iri)).version === 3);
    await act("buyer", iri, "receive", { lines: BOTH_LINES, date: "2027-02-05" });
    expectLike("add-receipt.json", await sent("receive", iri));
    await inState(iri, "completed");
  });

  it("order activities are HTTP-signed and carry a proof, but no Linked Data signature", async () => {
    const iri = await place();
    await expectSignedAsOrders(await sent("order", iri), m.buyer.actorUrl);
    await act("seller", iri, "accept");
    await expectSignedAsOrders(await sent("accept", iri), m.seller.actorUrl);
  });

  it("conditional acceptance: tentative-accept", async () => {
    const iri = await place();
    await act("seller", iri, "propose-changes", {
      changes: [
        { id: "1", quantity: { amount: "150", unit: "MTR" } },
        { id: "2", accepted: false },
      ],
      note: "Only 150 m before March; no rib this season.",
    });
    expectLike("tentative-accept.json", await sent("propose_changes", iri));
    await inState(iri, "conditionally_accepted");
  });

  it("rejection: reject-order", async () => {
    const iri = await place();
    await act("seller", iri, "reject", { reason: "Fully booked until April." });
    expectLike("reject-order.json", await sent("reject", iri));
  });

  it("order change and cancellation after acceptance: update-change, undo-cancel", async () => {
    const changed = await place();
    await act("seller", changed, "accept");
    await inState(changed, "accepted");
    await act("buyer", changed, "change", {
      changes: [{ id: "2", quantity: { amount: "40", unit: "MTR" } }],
      note: "Ten more metres of rib, please.",
    });
    expectLike("update-change.json", await sent("change", changed));
    await inState(changed, "change_requested");

    const cancelled = await place();
    await act("seller", cancelled, "accept");
    await inState(cancelled, "accepted");
    await act("buyer", cancelled, "cancel", { reason: "Our client withdrew the order." });
    expectLike("undo-cancel.json", await sent("cancel", cancelled));
    await inState(cancelled, "cancel_requested");
  });

  it("serves the order's Agreement (order-agreement.json) at the order IRI to the parties only", async () => {
    const iri = await place();
    const signedBy = async (node: TestNode) => {
      const [rsa] = node.node.deps.services.keyPairs;
      const request = new Request(iri, { headers: AP });
      return await fetch(await signRequest(request, rsa!.privateKey, new URL(`${node.actorUrl}#main-key`)));
    };
    const res = await signedBy(m.seller);
    expect(res.status).toBe(200);
    expect(shapeDifferences(withOrigins(example("order-agreement.json"), origins), await res.json())).toEqual([]);
    expect((await signedBy(m.buyer)).status).toBe(200);
    expect((await fetch(iri, { headers: AP })).status).toBe(401);
    const stranger = await RecordingPeer.start();
    try {
      expect((await stranger.signedGet(iri)).status).toBe(401);
    } finally {
      await stranger.stop();
    }
  });

  it("keeps order activities out of the outbox", async () => {
    for (const node of [m.buyer, m.seller]) {
      const page = await (await node.get("/coops/coop/outbox?cursor=", AP)).text();
      expect(page).not.toMatch(/"(Offer|TentativeAccept|Add)"/);
    }
  });

  it("exports the order as UBL 2.1 with the fields orders.md lists", async () => {
    const iri = await place();
    const order = await orderOn(m.buyer, iri);
    const res = await m.buyer.api("GET", `/orders/${order.id}/ubl`);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = res.body as string;
    // The order number is the UUID that ends the order IRI: the same in the seller's export.
    const uuid = iri.split("/").at(-1) as string;
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const sold = await orderOn(m.seller, iri);
    expect(sold.id).not.toBe(order.id);
    const sellerXml = (await m.seller.api("GET", `/orders/${sold.id}/ubl`)).body as string;
    for (const exported of [xml, sellerXml])
      expect(exported.match(/<cbc:ID>[^<]*<\/cbc:ID>/)?.[0]).toBe(`<cbc:ID>${uuid}</cbc:ID>`);
    for (const fragment of [
      "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order:3</cbc:CustomizationID>",
      "<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3</cbc:ProfileID>",
      `<cbc:ID>${uuid}</cbc:ID>`,
      "<cbc:Note>Please roll on cores.</cbc:Note>",
      "<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>",
      `<cac:OrderDocumentReference><cbc:ID>${iri}</cbc:ID></cac:OrderDocumentReference>`,
      `<cbc:EndpointID schemeID="0000">${m.buyer.actorUrl}</cbc:EndpointID>`,
      `<cbc:EndpointID schemeID="0000">${m.seller.actorUrl}</cbc:EndpointID>`,
      "<cbc:StreetName>200 Avery Ave, Morganton</cbc:StreetName>",
      "<cbc:CountrySubentityCode>US-NC</cbc:CountrySubentityCode>",
      "<cbc:StartDate>2027-02-01</cbc:StartDate>",
      "<cbc:EndDate>2027-02-15</cbc:EndDate>",
      "<cac:DeliveryParty><cac:PartyName><cbc:Name>Burke Knit Co-op</cbc:Name></cac:PartyName></cac:DeliveryParty>",
      '<cbc:PayableAmount currencyID="USD">1633.75</cbc:PayableAmount>',
      '<cbc:Quantity unitCode="MTR">30</cbc:Quantity>',
      '<cbc:LineExtensionAmount currencyID="USD">153.75</cbc:LineExtensionAmount>',
      "<cbc:PartialDeliveryIndicator>true</cbc:PartialDeliveryIndicator>",
      '<cbc:PriceAmount currencyID="USD">5.125</cbc:PriceAmount>',
      '<cbc:BaseQuantity unitCode="MTR">1</cbc:BaseQuantity>',
      "<cbc:Name>Rib trim</cbc:Name>",
      `<cac:SellersItemIdentification><cbc:ID>${m.ribIri}</cbc:ID></cac:SellersItemIdentification>`,
    ]) {
      expect(xml).toContain(fragment);
    }
  });
});

describe("(e) a plain FEP-0837 Offer is read as a one-line order and answered", () => {
  let m: Market;
  let knit: RecordingPeer;

  beforeAll(async () => {
    m = await openMarket();
    knit = await RecordingPeer.start();
  });
  afterAll(async () => {
    await knit.stop();
  });

  /** fep0837-offer.json from the peer to the seller, for the seller's jersey listing, with a fresh id. */
  function offer(edit: (o: Record<string, any>) => void = () => {}) {
    const json = withOrigins(example("fep0837-offer.json"), { [KNIT]: knit.origin, [DYE]: m.seller.origin }) as Record<
      string,
      any
    >;
    json.id = `${knit.origin}/offers/${crypto.randomUUID()}`;
    json.object.stipulates.satisfies = m.jerseyIri;
    edit(json);
    return json;
  }
  const ordersFrom = async () =>
    (await m.seller.api("GET", "/orders?role=seller")).body.items.filter((o: any) => o.buyer === knit.actorUrl);
  const orderFor = (id: string) => eventually(async () => (await ordersFrom()).find((o: any) => o.iri === id));
  const answer = (type: string, object: string) =>
    eventually(() => knit.accepted(type).find((d) => d.body.object === object));
  async function drained(node: TestNode): Promise<void> {
    await eventually(async () => (await node.api("GET", "/node")).body.queue.queued === 0);
  }

  it("fep0837-offer.json becomes an order in state sent; accepting it answers Accept(Offer) with the Agreement", async () => {
    const sent = offer();
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, sent)).status).toBe(202);
    const order = await orderFor(sent.id);
    expect(order).toMatchObject({
      role: "seller",
      state: "sent",
      buyer: knit.actorUrl,
      seller: m.seller.actorUrl,
      currency: "USD",
      total: "740.00",
      note: "For the spring collection; we collect.",
      deliveryWindow: null,
      deliverTo: null,
      partialDelivery: true,
    });
    expect(order.lines).toMatchObject([
      {
        id: "1",
        listing: m.jerseyIri,
        quantity: { amount: "100", unit: "MTR" },
        unitPrice: { amount: "7.4", currency: "USD" },
      },
    ]);
    expect((await m.seller.api("POST", `/orders/${order.id}/accept`, {})).status).toBe(200);
    const accept = await answer("Accept", sent.id);
    expect(accept.path).toBe("/coops/coop/inbox");
    await expectSignedAsOrders(accept, m.seller.actorUrl);
    expect(accept.body.to).toBe(knit.actorUrl);
    const parsed = (await Activity.fromJsonLd(accept.body, offline)) as Accept;
    const agreement = await parsed.getResult({ ...offline, crossOrigin: "trust" });
    expect(agreement).toBeInstanceOf(Agreement);
    expect(agreement?.id?.href).toBe(sent.id); // the Offer's Agreement had no id: the order is named by the Offer
    expect(String((agreement as Agreement).stipulates?.resourceQuantity?.numericalValue)).toBe("100");
    expect((await envelopeOf(parsed))?.event.type).toBe("accept");
  });

  it("an Offer the seller's listing cannot take is answered with Reject(Offer) and the reason in content", async () => {
    const below = offer((o) => {
      o.object.stipulates.resourceQuantity.hasNumericalValue = "20";
      o.object.stipulatesReciprocal.resourceQuantity.hasNumericalValue = "148.00";
    });
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, below)).status).toBe(202);
    const reject = await answer("Reject", below.id);
    expect(reject.body.content).toBe("line 1: quantity.amount is below the minimum order of 50");
    expect((await orderFor(below.id)).state).toBe("rejected");
  });

  it("reads satisfies naming the listing's primary intent ({listing}#primary), as FEP-0837 recommends", async () => {
    const primary = offer((o) => {
      o.object.stipulates.satisfies = `${m.jerseyIri}#primary`;
    });
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, primary)).status).toBe(202);
    const order = await orderFor(primary.id);
    await drained(m.seller);
    expect((await orderFor(primary.id)).state).toBe("sent");
    expect(order.lines[0].listing).toBe(m.jerseyIri);
  });

  it("reads a reciprocal quantity in OM2's unit `one` as an amount in the listing's currency", async () => {
    const one = offer((o) => {
      o.object.stipulatesReciprocal.resourceQuantity.hasUnit = "one";
    });
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, one)).status).toBe(202);
    const order = await orderFor(one.id);
    await drained(m.seller);
    expect(order).toMatchObject({ currency: "USD", total: "740.00" });
    expect(order.lines[0].unitPrice).toEqual({ amount: "7.4", currency: "USD" });
    expect((await orderFor(one.id)).state).toBe("sent");
  });

  it("ignores an order activity whose envelope's event id is not the activity's own id", async () => {
    /** offer-order.json from the peer, in knit's place, for a new order; its id the event's, or another. */
    const order = (sameId: boolean) => {
      const json = withOrigins(example("offer-order.json"), { [KNIT]: knit.origin, [DYE]: m.seller.origin }) as Record<
        string,
        any
      >;
      const envelope = envelopeIn(json);
      envelope.order = `${knit.origin}/orders/${crypto.randomUUID()}`;
      envelope.event.id = `${knit.origin}/activities/${crypto.randomUUID()}`;
      json.id = sameId ? envelope.event.id : `${knit.origin}/activities/${crypto.randomUUID()}`;
      json.object.id = envelope.order;
      json.attachment[0].content = JSON.stringify(envelope);
      return json;
    };
    const mismatched = order(false);
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, mismatched)).status).toBe(202);
    const matching = order(true);
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, matching)).status).toBe(202);
    await orderFor(matching.object.id); // the control: the same order with matching ids is taken
    await drained(m.seller);
    expect((await ordersFrom()).some((o: any) => o.iri === mismatched.object.id)).toBe(false);
  });

  /** An Offer whose context defines satisfies as a plain term, as FEP-0837's own examples and Mitra do. */
  const plainTermOffer = (edit: (o: Record<string, any>) => void = () => {}) =>
    offer((o) => {
      o["@context"][1].satisfies = "vf:satisfies";
      edit(o);
    });

  it("takes an Offer whose context defines satisfies as a plain term, as FEP-0837's own examples do", async () => {
    const plain = plainTermOffer();
    expect((await knit.send(`${m.seller.actorUrl}/inbox`, plain)).status).toBe(202);
    const order = await orderFor(plain.id);
    expect(order).toMatchObject({ state: "sent", total: "740.00", buyer: knit.actorUrl });
    expect(order.lines[0]).toMatchObject({ listing: m.jerseyIri, quantity: { amount: "100", unit: "MTR" } });
  });

  it("refuses a plain-term Offer whose HTTP signature does not verify (401), and stores nothing", async () => {
    const forged = plainTermOffer();
    const { privateKey } = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const res = await knit.send(`${m.seller.actorUrl}/inbox`, forged, { signingKey: privateKey });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    await drained(m.seller);
    expect((await ordersFrom()).some((o: any) => o.iri === forged.id)).toBe(false);
  });

  it("answers 400, not 500, to an Offer Fedify cannot parse (a number where a decimal string belongs), so the sender does not retry it", async () => {
    for (const broken of [
      offer((o) => {
        o.object.stipulates.resourceQuantity.hasNumericalValue = 100;
      }),
      plainTermOffer((o) => {
        o.object.stipulates.resourceQuantity.hasNumericalValue = 100;
      }),
    ]) {
      const res = await knit.send(`${m.seller.actorUrl}/inbox`, broken);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: 400, detail: "The activity could not be parsed" });
    }
  });
});
