// Keeps spec/listings.md and its examples honest: each example parses with
// Fedify to the expected class, Weft's own reader turns each Proposal into
// the listing the spec says, what a live node serves and sends has the
// shape of the examples, and the examples, sent by a peer, have the effect
// the receiving rules describe.
import {
  Object as ASObject,
  Create,
  Delete,
  Hashtag,
  Intent,
  Note,
  OrderedCollection,
  OrderedCollectionPage,
  Place,
  Proposal,
  PUBLIC_COLLECTION,
  Tombstone,
  Update,
} from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListingData } from "../../src/domain/listing-rules.ts";
import { listingRuleErrors } from "../../src/domain/listing-rules.ts";
import { getListingByIri, listingDataOf } from "../../src/domain/listings.ts";
import { visibilityOf } from "../../src/federation/inbox/listing.ts";
import { listingDataFromProposal } from "../../src/federation/listing-vocab.ts";
import { eventually, startNetwork, startNode, type TestNode } from "../support/network.ts";
import { LISTING_EXAMPLES } from "./catalogue.ts";
import { type Delivery, RecordingPeer } from "./peer.ts";
import { example, exampleFiles, type Json, shapeDifferences, withOrigins } from "./shape.ts";

const DYE = "https://dye.example";
const KNIT = "https://knit.example";
const AP = { accept: "application/activity+json" };
const OFFER_IRI = `${DYE}/listings/3f6b2a1c-8d4e-4f5a-9b7c-2e1d0a9f8b7c`;

// What dye's staff typed (POST /api/v1/listings) to make the examples.
const OFFER = {
  kind: "offer",
  title: "Naturally dyed organic cotton jersey",
  description: "180 gsm organic cotton jersey, dyed with **indigo** and madder. GOTS certified.",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "USD", per: "MTR" },
  availableFrom: "2027-01-04",
  availableUntil: "2027-03-31",
  region: "US-NC",
  location: { lat: 35.745, lon: -81.685 },
};
const CAPACITY = {
  kind: "capacity",
  title: "Piece dyeing, up to 2,000 metres a week",
  description: "Jet dyeing of knit and woven fabric, natural and low-impact dyes.",
  category: "service/dyeing",
  rate: { amount: "2000", unit: "MTR", per: "P1W" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "1.85", currency: "USD", per: "MTR" },
  availableFrom: "2027-01-04",
  availableUntil: "2027-06-30",
  region: "US-NC",
};
const NEED = {
  kind: "need",
  title: "Wanted: undyed organic cotton greige",
  description: "Jersey or interlock, 160 to 200 gsm, for our spring dye runs.",
  category: "textile/fabric/greige",
  quantity: { amount: "1000", unit: "MTR" },
  availableUntil: "2027-02-28",
  region: "US-NC",
  visibility: "followers",
};

const offline = {
  documentLoader: async (url: string): Promise<never> => {
    throw new Error(`The example made Fedify fetch ${url}`);
  },
};
const parse = (json: unknown) => ASObject.fromJsonLd(json, offline);

/** Listing activity ids end in `#verb-<milliseconds>` (the listing's `updated`): compare them as placeholders. */
function maskMillis<T>(json: T): T {
  return JSON.parse(JSON.stringify(json).replace(/#([a-z-]+)-\d{10,}/g, "#$1-0")) as T;
}

function withoutIntegrity(body: Record<string, unknown>): Record<string, unknown> {
  const { proof: _proof, signature: _signature, ...rest } = body;
  return rest;
}

function expectSameShape(expected: Json, actual: unknown): void {
  expect(shapeDifferences(maskMillis(expected), maskMillis(actual))).toEqual([]);
}

/** How Weft's inbox reads a received Proposal: audience first, then the fields. */
async function readProposal(json: Json, authorFollowers = `${DYE}/coops/coop/followers`): Promise<ListingData> {
  const proposal = (await parse(json)) as Proposal;
  const { visibility, partners } = visibilityOf(proposal, authorFollowers);
  return await listingDataFromProposal(proposal, visibility, partners);
}

/** The listings the examples show, as Weft's reader must return them. */
const EXPECTED: Record<string, ListingData> = {
  "proposal-offer.json": {
    kind: "offer",
    title: OFFER.title,
    descriptionHtml:
      "<p>180 gsm organic cotton jersey, dyed with <strong>indigo</strong> and madder. GOTS certified.</p>",
    category: "textile/fabric/knit",
    quantity: { amount: "500", unit: "MTR" },
    minimumOrder: { amount: "50", unit: "MTR" },
    price: { amount: "7.40", currency: "USD", per: "MTR" },
    rate: null,
    availableFrom: new Date("2027-01-04T00:00:00.000Z"),
    availableUntil: new Date("2027-03-31T23:59:59.999Z"),
    region: "US-NC",
    location: { lat: 35.745, lon: -81.685 },
    visibility: "public",
    partners: [],
    status: "active",
  },
  "proposal-capacity.json": {
    kind: "capacity",
    title: CAPACITY.title,
    descriptionHtml: "<p>Jet dyeing of knit and woven fabric, natural and low-impact dyes.</p>",
    category: "service/dyeing",
    quantity: null,
    minimumOrder: { amount: "50", unit: "MTR" },
    price: { amount: "1.85", currency: "USD", per: "MTR" },
    rate: { amount: "2000", unit: "MTR", per: "P1W" },
    availableFrom: new Date("2027-01-04T00:00:00.000Z"),
    availableUntil: new Date("2027-06-30T23:59:59.999Z"),
    region: "US-NC",
    location: null,
    visibility: "public",
    partners: [],
    status: "active",
  },
  "proposal-need.json": {
    kind: "need",
    title: NEED.title,
    descriptionHtml: "<p>Jersey or interlock, 160 to 200 gsm, for our spring dye runs.</p>",
    category: "textile/fabric/greige",
    quantity: { amount: "1000", unit: "MTR" },
    minimumOrder: null,
    price: null,
    rate: null,
    availableFrom: null,
    availableUntil: new Date("2027-02-28T23:59:59.999Z"),
    region: "US-NC",
    location: null,
    visibility: "followers",
    partners: [],
    status: "active",
  },
};

describe("(a) the listing examples parse with Fedify to the expected classes", () => {
  it("are all in spec/examples", () => {
    expect(exampleFiles()).toEqual(expect.arrayContaining(LISTING_EXAMPLES));
  });

  it("proposal-offer.json is a Proposal mapped field by field as listings.md says", async () => {
    const p = (await parse(example("proposal-offer.json"))) as Proposal;
    expect(p).toBeInstanceOf(Proposal);
    expect(p.id?.href).toBe(OFFER_IRI);
    expect(p.attributionId?.href).toBe(`${DYE}/coops/coop`);
    expect(p.purpose).toBe("offer");
    expect(p.unitBased).toBe(true);
    const publishes = p.publishes as Intent;
    expect(publishes).toBeInstanceOf(Intent);
    // FEP-0837 names the Intents: offers answer the primary one, {listing}#primary.
    expect(publishes.id?.href).toBe(`${OFFER_IRI}#primary`);
    expect(publishes.action).toBe("transfer");
    expect(publishes.resourceConformsTo?.href).toBe(`${DYE}/categories/textile/fabric/knit`);
    const measure = (m: { numericalValue: unknown; unit: string | null } | null) => [
      String(m?.numericalValue),
      m?.unit,
    ];
    expect(measure(publishes.availableQuantity)).toEqual(["500", "MTR"]);
    expect(measure(publishes.minimumQuantity)).toEqual(["50", "MTR"]);
    expect(measure(publishes.resourceQuantity)).toEqual(["1", "MTR"]);
    const reciprocal = p.reciprocal as Intent;
    expect(reciprocal.id?.href).toBe(`${OFFER_IRI}#reciprocal`);
    expect(reciprocal.action).toBe("transfer");
    expect(reciprocal.resourceConformsTo?.href).toBe("urn:iso:std:iso:4217:USD");
    expect(measure(reciprocal.resourceQuantity)).toEqual(["7.40", "USD"]);
    expect(p.startTime?.toString()).toBe("2027-01-04T00:00:00Z");
    expect(p.endTime?.toString()).toBe("2027-03-31T23:59:59.999Z");
    const place = (await p.getLocation(offline)) as Place;
    expect(place).toBeInstanceOf(Place);
    expect([place.name?.toString(), place.latitude, place.longitude]).toEqual(["US-NC", 35.745, -81.685]);
    const tags = [];
    for await (const t of p.getTags(offline)) tags.push(t);
    expect(tags).toHaveLength(1);
    expect(tags[0]).toBeInstanceOf(Hashtag);
    expect([(tags[0] as Hashtag).name?.toString(), (tags[0] as Hashtag).href?.href]).toEqual([
      "#textile_fabric_knit",
      `${DYE}/categories/textile/fabric/knit`,
    ]);
    expect(p.source?.mediaType).toBe("text/markdown");
    expect(p.content?.toString()).toContain(
      "<p>Offer · 500 metre (MTR) available · minimum order 50 metre (MTR) · 7.40 USD per metre (MTR) · 2027-01-04 to 2027-03-31 · US-NC</p>",
    );
    expect(p.toIds.map((i) => i.href)).toEqual([PUBLIC_COLLECTION.href]);
    expect(p.ccIds.map((i) => i.href)).toEqual([`${DYE}/coops/coop/followers`]);
  });

  it("proposal-capacity.json: deliverService, the rate as availableQuantity per Proposal.duration", async () => {
    const p = (await parse(example("proposal-capacity.json"))) as Proposal;
    expect(p).toBeInstanceOf(Proposal);
    expect(p.purpose).toBe("offer");
    expect(p.publishes?.action).toBe("deliverService");
    expect([p.publishes?.id?.href, p.reciprocal?.id?.href]).toEqual([
      `${p.id?.href}#primary`,
      `${p.id?.href}#reciprocal`,
    ]);
    expect(String(p.publishes?.availableQuantity?.numericalValue)).toBe("2000");
    expect(p.duration?.toString()).toBe("P1W");
  });

  it("proposal-need.json: purpose request, addressed to dye's followers only", async () => {
    const p = (await parse(example("proposal-need.json"))) as Proposal;
    expect(p).toBeInstanceOf(Proposal);
    expect(p.purpose).toBe("request");
    expect(p.publishes?.id?.href).toBe(`${p.id?.href}#primary`);
    expect(p.reciprocal).toBeNull();
    expect(p.toIds.map((i) => i.href)).toEqual([`${DYE}/coops/coop/followers`]);
    expect(p.ccIds).toEqual([]);
  });

  it("create-proposal.json and update-proposal.json carry the Proposal embedded, with its audience", async () => {
    for (const [file, type] of [
      ["create-proposal.json", Create],
      ["update-proposal.json", Update],
    ] as const) {
      const activity = (await parse(example(file))) as Create | Update;
      expect(activity).toBeInstanceOf(type);
      expect(activity.id?.href).toMatch(new RegExp(`^${OFFER_IRI}#(create|update)-\\d+$`));
      expect(activity.actorId?.href).toBe(`${DYE}/coops/coop`);
      const proposal = await activity.getObject(offline);
      expect(proposal).toBeInstanceOf(Proposal);
      expect(proposal?.id?.href).toBe(OFFER_IRI);
      expect((proposal as Proposal).publishes?.id?.href).toBe(`${OFFER_IRI}#primary`);
      expect(activity.toIds.map((i) => i.href)).toEqual([PUBLIC_COLLECTION.href]);
      expect(activity.ccIds.map((i) => i.href)).toEqual([`${DYE}/coops/coop/followers`]);
    }
    // The Proposal in the Create is the one served at its IRI.
    const created = (await (await parse(example("create-proposal.json"))).clone({})) as Create;
    const embedded = await created.getObject(offline);
    expect(await readProposal((await embedded?.toJsonLd()) as Json)).toEqual(EXPECTED["proposal-offer.json"]);
  });

  it("delete-proposal.json deletes the public listing with a Tombstone, publicly", async () => {
    const del = (await parse(example("delete-proposal.json"))) as Delete;
    expect(del).toBeInstanceOf(Delete);
    const tombstone = await del.getObject(offline);
    expect(tombstone).toBeInstanceOf(Tombstone);
    expect(tombstone?.id?.href).toBe(OFFER_IRI);
    expect((tombstone as Tombstone).deleted).not.toBeNull();
    expect(del.toIds.map((i) => i.href)).toEqual([PUBLIC_COLLECTION.href]);
    expect(del.ccIds.map((i) => i.href)).toEqual([`${DYE}/coops/coop/followers`]);
  });

  it("note-twin.json is a public Create(Note) at {listing}/note: bold title, description, terms, link, hashtag", async () => {
    const create = (await parse(example("note-twin.json"))) as Create;
    expect(create).toBeInstanceOf(Create);
    expect(create.id?.href).toMatch(new RegExp(`^${OFFER_IRI}#create-note-\\d+$`));
    const note = (await create.getObject(offline)) as Note;
    expect(note).toBeInstanceOf(Note);
    expect(note.id?.href).toBe(`${OFFER_IRI}/note`);
    expect(note.url).toEqual(new URL(OFFER_IRI));
    const html = note.content?.toString() ?? "";
    expect(html).toMatch(/^<p><strong>Naturally dyed organic cotton jersey<\/strong><\/p><p>180 gsm/);
    expect(html).toContain("<p>Offer · 500 metre (MTR) available");
    expect(html).toContain(`<a href="${OFFER_IRI}">${OFFER_IRI}</a>`);
    expect(html).toContain('class="mention hashtag" rel="tag">#textile_fabric_knit</a>');
    expect(create.toIds.map((i) => i.href)).toEqual([PUBLIC_COLLECTION.href]);
  });

  it("listings.json and listings-page.json are the co-op's listings collection and its first page of Proposals", async () => {
    const collection = (await parse(example("listings.json"))) as OrderedCollection;
    expect(collection).toBeInstanceOf(OrderedCollection);
    expect(collection.firstId?.href).toBe(`${DYE}/coops/coop/listings?cursor=`);
    const page = (await parse(example("listings-page.json"))) as OrderedCollectionPage;
    expect(page).toBeInstanceOf(OrderedCollectionPage);
    expect(page.partOfId?.href).toBe(`${DYE}/coops/coop/listings`);
    const items = [];
    for await (const item of page.getItems(offline)) items.push(item);
    expect(items.every((i) => i instanceof Proposal)).toBe(true);
    expect(items.map((i) => (i as Proposal).purpose)).toEqual(["request", "offer", "offer"]);
  });
});

describe("(b) Weft's own reader turns each Proposal example into the listing listings.md describes", () => {
  for (const file of ["proposal-offer.json", "proposal-capacity.json", "proposal-need.json"]) {
    it(`${file}`, async () => {
      const data = await readProposal(example(file));
      expect(data).toEqual(EXPECTED[file]);
      expect(listingRuleErrors(data)).toEqual([]);
    });
  }

  it("reads the category from the hashtag when resourceConformsTo is not a /categories/ IRI", async () => {
    const json = example("proposal-offer.json") as Record<string, Json>;
    const publishes = {
      ...(json.publishes as Record<string, Json>),
      resourceConformsTo: "https://www.wikidata.org/wiki/Q11442",
    };
    expect((await readProposal({ ...json, publishes })).category).toBe("textile/fabric/knit");
  });

  it("reads a capacity without duration as a capacity without rate, which the listing rules refuse", async () => {
    const { duration: _duration, ...json } = example("proposal-capacity.json") as Record<string, Json>;
    const data = await readProposal(json);
    expect(data.kind).toBe("capacity");
    expect(listingRuleErrors(data).map((e) => e.field)).toEqual(["rate"]);
  });

  it("reads a Proposal addressed to named actors as a partners listing", async () => {
    const json = { ...(example("proposal-need.json") as Record<string, Json>), to: `${KNIT}/coops/coop` };
    const data = await readProposal(json);
    expect([data.visibility, data.partners]).toEqual(["partners", [`${KNIT}/coops/coop`]]);
  });
});

describe("(c) what a live node serves and sends has the shape of the examples", () => {
  let dye: TestNode;
  let peer: RecordingPeer;
  let origins: Record<string, string>;
  const iris: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    peer = await RecordingPeer.start();
    dye = await startNode();
    origins = { [DYE]: dye.origin, [KNIT]: peer.origin };
    // The peer, in knit's place, follows dye.
    expect((await peer.send(`${dye.actorUrl}/inbox`, withOrigins(example("follow.json"), origins))).status).toBe(202);
    await eventually(() => peer.accepted("Accept")[0]);
    for (const [name, input] of Object.entries({ offer: OFFER, capacity: CAPACITY, need: NEED })) {
      const res = await dye.api("POST", "/listings", input);
      expect(res.status).toBe(201);
      iris[name] = res.body.iri;
      ids[name] = res.body.id;
    }
  });
  afterAll(async () => {
    await peer.stop();
  });

  /** The first delivery to the peer of `type` whose object has `objectType` and `id`. */
  const delivered = (type: string, objectType: string, objectId: string): Promise<Delivery> =>
    eventually(() =>
      peer.accepted(type).find((d) => {
        const object = d.body.object as Record<string, unknown>;
        return object.id === objectId && String(object.type).endsWith(objectType);
      }),
    );

  it("serves public listings at their IRI to anyone, matching proposal-offer.json and proposal-capacity.json", async () => {
    for (const [name, file] of [
      ["offer", "proposal-offer.json"],
      ["capacity", "proposal-capacity.json"],
    ] as const) {
      const res = await fetch(iris[name] as string, { headers: AP });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/activity\+json/);
      expectSameShape(withOrigins(example(file), origins), await res.json());
    }
  });

  it("serves a followers-only listing to a signed follower only, matching proposal-need.json", async () => {
    expect((await fetch(iris.need as string, { headers: AP })).status).toBe(401);
    const res = await peer.signedGet(iris.need as string);
    expect(res.status).toBe(200);
    expectSameShape(withOrigins(example("proposal-need.json"), origins), await res.json());
  });

  it("serves the Note twin of a public listing at {listing}/note, the object of note-twin.json", async () => {
    const res = await fetch(`${iris.offer}/note`, { headers: AP });
    expect(res.status).toBe(200);
    // Served with its own @context (and "as:Public"); compare once Fedify has normalised both.
    const normalise = async (json: unknown) => (await (await parse(json)).clone({}).toJsonLd()) as Json;
    const twin = withOrigins(example("note-twin.json"), origins) as Record<string, Json>;
    const expected = await normalise({ "@context": twin["@context"], ...(twin.object as Record<string, Json>) });
    expectSameShape(expected, await normalise(await res.json()));
    expect((await fetch(`${iris.need}/note`, { headers: AP })).status).toBe(404);
  });

  it("serves the listings collection (the actor's streams) and its pages, matching listings.json and listings-page.json", async () => {
    const actor = await (await fetch(dye.actorUrl, { headers: AP })).json();
    expect(actor.streams).toBe(`${dye.actorUrl}/listings`);
    const collection = await (await fetch(`${dye.actorUrl}/listings`, { headers: AP })).json();
    expectSameShape(withOrigins(example("listings.json"), origins), collection);
    // A follower sees its followers-only listings too, newest first.
    const page = await (await peer.signedGet(`${dye.actorUrl}/listings?cursor=`)).json();
    expectSameShape(withOrigins(example("listings-page.json"), origins), page);
    expect(page.orderedItems.map((p: { id: string }) => p.id)).toEqual([iris.need, iris.capacity, iris.offer]);
    const anonymous = await (await fetch(`${dye.actorUrl}/listings?cursor=`, { headers: AP })).json();
    expect(anonymous.orderedItems.map((p: { id: string }) => p.id)).toEqual([iris.capacity, iris.offer]);
  });

  it("sends Create(Proposal) matching create-proposal.json, and Create(Note) matching note-twin.json, for public listings", async () => {
    const create = await delivered("Create", "Proposal", iris.offer as string);
    expect(create.path).toBe("/inbox");
    expectSameShape(withOrigins(example("create-proposal.json"), origins), withoutIntegrity(create.body));
    const note = await delivered("Create", "Note", `${iris.offer}/note`);
    expectSameShape(withOrigins(example("note-twin.json"), origins), withoutIntegrity(note.body));
    // The followers-only need gets a Create addressed to the followers, and no Note.
    const need = await delivered("Create", "Proposal", iris.need as string);
    expect([need.body.to, need.body.cc]).toEqual([`${dye.actorUrl}/followers`, undefined]);
    expect(peer.deliveries.some((d) => (d.body.object as { id?: string }).id === `${iris.need}/note`)).toBe(false);
  });

  it("sends Update(Proposal) matching update-proposal.json, and Update(Note), after an edit", async () => {
    const res = await dye.api("PATCH", `/listings/${ids.offer}`, {
      price: { amount: "6.90", currency: "USD", per: "MTR" },
    });
    expect(res.status).toBe(200);
    const update = await delivered("Update", "Proposal", iris.offer as string);
    expectSameShape(withOrigins(example("update-proposal.json"), origins), withoutIntegrity(update.body));
    expect(update.body.id).toBe(`${iris.offer}#update-${Date.parse(res.body.updated)}`);
    await delivered("Update", "Note", `${iris.offer}/note`);
  });

  it("sends Delete(Tombstone) matching delete-proposal.json, and deletes the Note, when a listing is removed", async () => {
    expect((await dye.api("DELETE", `/listings/${ids.offer}`)).status).toBe(204);
    const del = await delivered("Delete", "Tombstone", iris.offer as string);
    expectSameShape(withOrigins(example("delete-proposal.json"), origins), withoutIntegrity(del.body));
    await delivered("Delete", "Tombstone", `${iris.offer}/note`);
    expect((await fetch(iris.offer as string, { headers: AP })).status).toBe(404);
  });

  it("sends a paused listing as an Update whose endTime is the moment of the pause, and deletes its Note", async () => {
    const res = await dye.api("PATCH", `/listings/${ids.capacity}`, { status: "paused" });
    expect(res.status).toBe(200);
    const update = await delivered("Update", "Proposal", iris.capacity as string);
    const endTime = (update.body.object as Record<string, string>).endTime as string;
    expect(Date.parse(endTime)).toBe(Date.parse(res.body.updated));
    await delivered("Delete", "Tombstone", `${iris.capacity}/note`);
  });

  it("sends a Delete to the followers who lose sight of a listing when its audience narrows", async () => {
    const created = await dye.api("POST", "/listings", { ...OFFER, title: "Narrowed" });
    await delivered("Create", "Proposal", created.body.iri);
    await dye.api("PATCH", `/listings/${created.body.id}`, { visibility: ["https://partner.example/coops/coop"] });
    const del = await delivered("Delete", "Tombstone", created.body.iri);
    expect(del.body.to).toBe(peer.actorUrl);
    await delivered("Delete", "Tombstone", `${created.body.iri}/note`);
  });

  it("serves an Atom feed of the public listings, and category IRIs as SKOS concepts", async () => {
    const created = await dye.api("POST", "/listings", { ...OFFER, title: "In the feed" });
    const res = await dye.get("/coops/coop/listings.atom");
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    expect(xml).toContain(`<id>${dye.actorUrl}/listings.atom</id>`);
    expect(xml).toContain(`<entry>\n    <id>${created.body.iri}</id>\n    <title>In the feed</title>`);
    expect(xml).toContain('<category term="textile/fabric/knit"/>');
    expect(xml).toContain("<summary>Offer · 500 metre (MTR) available");
    expect(xml).not.toContain("Wanted: undyed"); // followers-only
    const concept = await (await dye.get("/categories/textile/fabric/knit", AP)).json();
    expect(concept).toEqual({
      "@context": { skos: "http://www.w3.org/2004/02/skos/core#", id: "@id", type: "@type" },
      id: `${dye.origin}/categories/textile/fabric/knit`,
      type: "skos:Concept",
      "skos:notation": "textile/fabric/knit",
      "skos:prefLabel": "knit",
      "skos:broader": { id: `${dye.origin}/categories/textile/fabric` },
    });
  });
});

describe("(d) the examples, sent by a co-op we follow, do what the receiving rules say", () => {
  let knit: TestNode;
  let dye: RecordingPeer;
  let stranger: RecordingPeer;
  let origins: Record<string, string>;
  let n = 0;

  /** `file` as sent by `sender` (in dye's place) to knit, with a fresh activity id. */
  function activity(file: string, sender: RecordingPeer = dye, edit: (a: Record<string, Json>) => void = () => {}) {
    const json = withOrigins(example(file), { [DYE]: sender.origin, [KNIT]: knit.origin }) as Record<string, Json>;
    json.id = `${json.id}-${++n}`;
    edit(json);
    return json;
  }
  const iri = () => withOrigins(OFFER_IRI, origins);
  const stored = () => getListingByIri(knit.db, iri());
  async function drained(): Promise<void> {
    await eventually(async () => (await knit.api("GET", "/node")).body.queue.queued === 0);
  }

  beforeAll(async () => {
    knit = await startNode();
    dye = await RecordingPeer.start();
    stranger = await RecordingPeer.start();
    origins = { [DYE]: dye.origin, [KNIT]: knit.origin };
    // knit follows dye (the peer), which accepts.
    expect((await knit.api("POST", "/following", { actor: dye.actorUrl })).status).toBe(202);
    const follow = await eventually(() => dye.accepted("Follow")[0]);
    const accept = withOrigins(example("accept-follow.json"), origins) as Record<string, Record<string, unknown>>;
    (accept.object as Record<string, unknown>).id = follow.body.id;
    expect((await dye.send(`${knit.actorUrl}/inbox`, accept)).status).toBe(202);
    await eventually(async () => (await knit.api("GET", "/following")).body.items[0]?.state === "accepted");
  });
  afterAll(async () => {
    await Promise.all([dye.stop(), stranger.stop()]);
  });

  it("create-proposal.json stores the listing as Weft's reader reads it; update-proposal.json replaces it", async () => {
    expect((await dye.send(`${knit.origin}/inbox`, activity("create-proposal.json"))).status).toBe(202);
    const row = await eventually(stored);
    expect(row).toMatchObject({ authorIri: dye.actorUrl, local: false, source: "follow" });
    expect(listingDataOf(row)).toEqual(EXPECTED["proposal-offer.json"]);
    expect((await dye.send(`${knit.origin}/inbox`, activity("update-proposal.json"))).status).toBe(202);
    await eventually(async () => (await stored())?.priceAmount === "6.90");
  });

  it("keeps the newest `updated`: an older version arriving late changes nothing", async () => {
    expect((await dye.send(`${knit.origin}/inbox`, activity("create-proposal.json"))).status).toBe(202);
    await drained();
    expect((await stored())?.priceAmount).toBe("6.90");
  });

  it("ignores a listing whose attributedTo is not the sender, or whose IRI is not on the sender's server", async () => {
    const inOthersName = activity("create-proposal.json", stranger, (a) => {
      a.to = knit.actorUrl;
      (a.object as Record<string, Json>).attributedTo = dye.actorUrl;
    });
    expect((await stranger.send(`${knit.origin}/inbox`, inOthersName)).status).toBe(202);
    // The listing's IRI (and the activity's, so that Fedify reads the embedded object as sent) on dye's
    // server, but sent and attributed by another co-op.
    const forged = activity("update-proposal.json", dye, (a) => {
      a.actor = stranger.actorUrl;
      a.to = knit.actorUrl;
      const object = a.object as Record<string, Json>;
      object.attributedTo = stranger.actorUrl;
      object.updated = "2099-01-01T00:00:00Z";
      object.name = "Hijacked";
    });
    expect((await stranger.send(`${knit.origin}/inbox`, forged)).status).toBe(202);
    await drained();
    expect((await stored())?.title).toBe(OFFER.title);
    expect(
      await getListingByIri(knit.db, (inOthersName.object as Record<string, string>).id as string),
    ).toBeUndefined();
  });

  it("ignores listings from a co-op it does not follow, unless addressed to it", async () => {
    const unsolicited = activity("create-proposal.json", stranger);
    expect((await stranger.send(`${knit.origin}/inbox`, unsolicited)).status).toBe(202);
    await drained();
    const strangerIri = withOrigins(OFFER_IRI, { [DYE]: stranger.origin });
    expect(await getListingByIri(knit.db, strangerIri)).toBeUndefined();
    const addressed = activity("create-proposal.json", stranger, (a) => {
      a.cc = knit.actorUrl;
    });
    expect((await stranger.send(`${knit.origin}/inbox`, addressed)).status).toBe(202);
    await eventually(() => getListingByIri(knit.db, strangerIri));
  });

  it("sanitises the HTML of a received listing and drops an invalid one", async () => {
    const hostile = activity("create-proposal.json", dye, (a) => {
      const object = a.object as Record<string, Json>;
      object.id = `${dye.origin}/listings/00000000-0000-4000-8000-000000000001`;
      object.source = null;
      object.content = '<p onclick="x()">Hi</p><script>alert(1)</script>';
    });
    expect((await dye.send(`${knit.origin}/inbox`, hostile)).status).toBe(202);
    const row = await eventually(() =>
      getListingByIri(knit.db, (hostile.object as Record<string, string>).id as string),
    );
    expect(row.descriptionHtml).toBe("<p>Hi</p>");
    const invalid = activity("create-proposal.json", dye, (a) => {
      const object = a.object as Record<string, Json>;
      object.id = `${dye.origin}/listings/00000000-0000-4000-8000-000000000002`;
      object.name = "";
    });
    expect((await dye.send(`${knit.origin}/inbox`, invalid)).status).toBe(202);
    await drained();
    expect(await getListingByIri(knit.db, (invalid.object as Record<string, string>).id as string)).toBeUndefined();
  });

  it("delete-proposal.json removes the listing: versions up to the Tombstone's `deleted` stay deleted, a later one brings it back", async () => {
    const del = activity("delete-proposal.json");
    const deleted = (del.object as Record<string, string>).deleted as string;
    expect((await dye.send(`${knit.origin}/inbox`, del)).status).toBe(202);
    await eventually(async () => (await stored()) === undefined);
    // update-proposal.json as it was (older than the deletion), and a version of the very moment of the deletion.
    for (const updated of [null, deleted]) {
      const late = activity("update-proposal.json", dye, (a) => {
        if (updated) (a.object as Record<string, Json>).updated = updated;
      });
      expect((await dye.send(`${knit.origin}/inbox`, late)).status).toBe(202);
    }
    await drained();
    expect(await stored()).toBeUndefined();
    // A version made after the deletion (the author widened the audience again) restores it.
    const later = activity("update-proposal.json", dye, (a) => {
      (a.object as Record<string, Json>).updated = "2099-01-01T00:00:00Z";
    });
    expect((await dye.send(`${knit.origin}/inbox`, later)).status).toBe(202);
    const row = await eventually(stored);
    expect([row.updated, row.priceAmount]).toEqual([new Date("2099-01-01T00:00:00Z"), "6.90"]);
  });

  it("a Delete without a Tombstone's `deleted` counts from its `published`", async () => {
    const listing = `${dye.origin}/listings/00000000-0000-4000-8000-000000000003`;
    const del = activity("delete-proposal.json", dye, (a) => {
      a.object = listing;
      a.published = "2026-05-01T00:00:00Z";
    });
    expect((await dye.send(`${knit.origin}/inbox`, del)).status).toBe(202);
    await drained();
    const version = (updated: string) =>
      activity("create-proposal.json", dye, (a) => {
        const object = a.object as Record<string, Json>;
        object.id = listing;
        object.url = listing;
        object.updated = updated;
      });
    expect((await dye.send(`${knit.origin}/inbox`, version("2026-04-30T00:00:00Z"))).status).toBe(202);
    await drained();
    expect(await getListingByIri(knit.db, listing)).toBeUndefined();
    expect((await dye.send(`${knit.origin}/inbox`, version("2026-05-02T00:00:00Z"))).status).toBe(202);
    await eventually(() => getListingByIri(knit.db, listing));
  });

  it("ignores the Delete of a listing it does not hold from a co-op it does not follow: nothing is remembered", async () => {
    const listing = `${stranger.origin}/listings/00000000-0000-4000-8000-000000000004`;
    const del = activity("delete-proposal.json", stranger, (a) => {
      (a.object as Record<string, Json>).id = listing;
    });
    expect((await stranger.send(`${knit.origin}/inbox`, del)).status).toBe(202);
    await drained();
    // So a version older than that Delete, addressed to knit, is stored.
    const addressed = activity("create-proposal.json", stranger, (a) => {
      a.cc = knit.actorUrl;
      const object = a.object as Record<string, Json>;
      object.id = listing;
      object.url = listing;
    });
    expect((await stranger.send(`${knit.origin}/inbox`, addressed)).status).toBe(202);
    await eventually(() => getListingByIri(knit.db, listing));
  });
});

describe("backfill: a new follower fetches the listings published before it followed", () => {
  it("stores them from the listings collection, followers-only ones included, as source backfill", async () => {
    const [dye, knit] = (await startNetwork(2)) as [TestNode, TestNode];
    const offer = (await dye.api("POST", "/listings", OFFER)).body.iri;
    const need = (await dye.api("POST", "/listings", NEED)).body.iri;
    await knit.api("POST", "/following", { handle: dye.account });
    const rows = await eventually(async () => {
      const found = [await getListingByIri(knit.db, offer), await getListingByIri(knit.db, need)];
      return found.every(Boolean) ? found : null;
    });
    expect(rows.map((r) => [r?.source, r?.visibility])).toEqual([
      ["backfill", "public"],
      ["backfill", "followers"],
    ]);
  });
});
