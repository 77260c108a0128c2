// The data behind the workspace page bench (bench/pages.ts): a co-op a year
// or two into using Weft. 10,000 listings (≈ 1,000 our own, ≈ 9,000 from 200
// partner co-ops with their actor rows, 50 of them followed), and 1,000
// orders on both sides made by folding real events through
// recordOrderEvent, so every order row and view is what the node would have
// stored. Bench code: it writes the tables directly (one SQL statement per
// kind of listing), then VACUUM ANALYZE as autovacuum would have.
import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../src/db/client.ts";
import { followers, following, remoteActors } from "../src/db/schema.ts";
import { rebuildMatches } from "../src/domain/matching.ts";
import {
  EVENT_ROLE,
  type EventPayload,
  type EventType,
  type OrderEvent,
  type OrderLine,
  type OrderView,
  type Role,
} from "../src/domain/orders/machine.ts";
import { recordOrderEvent } from "../src/domain/orders/store.ts";

export const LOCAL_LISTINGS = Number(process.env.BENCH_PAGES_LOCAL_LISTINGS ?? 1_000);
export const REMOTE_LISTINGS = Number(process.env.BENCH_PAGES_REMOTE_LISTINGS ?? 9_000);
export const ORDERS = Number(process.env.BENCH_PAGES_ORDERS ?? 1_000);
export const PARTNERS = 200;
export const FOLLOWED = 50;
const FOLLOWERS = 80;

const REGIONS: [string, number, number][] = [
  ["US-NC", 35.6, -79.8],
  ["US-SC", 33.9, -80.9],
  ["US-GA", 32.7, -83.4],
  ["US-VA", 37.5, -78.8],
  ["US-TN", 35.9, -86.4],
  ["US-CA", 36.8, -119.4],
  ["US-NY", 42.9, -75.5],
  ["PT-13", 41.15, -8.61],
  ["PT-03", 41.55, -8.42],
  ["ES-CT", 41.6, 1.5],
  ["FR-ARA", 45.4, 4.4],
  ["IT-25", 45.6, 9.8],
  ["MX-PUE", 19.0, -98.2],
  ["IN-TN", 11.1, 78.6],
];
export const OUR_REGION = REGIONS[0]!;
const CATEGORIES = [
  "apparel/cut-and-sew",
  "apparel/cut-and-sew/knit",
  "apparel/cut-and-sew/woven",
  "apparel/cut-and-sew/outerwear",
  "apparel/pattern-making",
  "apparel/grading",
  "apparel/sampling",
  "apparel/embroidery",
  "textile/fabric/knit",
  "textile/fabric/woven",
  "textile/fabric/nonwoven",
  "textile/yarn/cotton",
  "textile/yarn/wool",
  "textile/yarn/blends",
  "textile/dyeing",
  "textile/dyeing/natural",
  "textile/printing/screen",
  "textile/printing/digital",
  "textile/finishing",
  "textile/knitting",
  "trims/labels",
  "trims/buttons",
  "trims/zippers",
  "trims/elastic",
  "design/technical",
  "design/print",
  "logistics/warehousing",
  "logistics/freight",
  "packaging/boxes",
  "packaging/polybags",
];
const WORDS = `organic cotton jersey rib fleece twill denim linen wool merino hemp recycled tops shirts dresses
hoodies socks small batch capacity sewing knitting dyeing natural indigo screen print label woven pattern sample
line weekly heavyweight lightweight brushed combed ring-spun garment-dyed overlock coverstitch`.split(/\s+/);
const NAMES = `Piedmont Riverbend Bluebird Cardinal Longleaf Catawba Haw Yadkin Eno Tidewater Saltmarsh Redbud Dogwood
Magnolia Sycamore Hickory Laurel Juniper Willow Chestnut`.split(/\s+/);
const TRADES = ["Knitworks", "Sewing Co-op", "Dyehouse", "Mills", "Textiles", "Makers", "Print Shop", "Trims"];

const list = (values: readonly (string | number)[]) =>
  sql.raw(`(ARRAY[${values.map((v) => (typeof v === "number" ? String(v) : `'${v}'`)).join(",")}])`);
// Numbers are written into the SQL (they are ours): as parameters they reach
// PostgreSQL untyped and generate_series cannot pick an overload.
const n = (value: number) => sql.raw(String(value));

export const partnerHost = (k: number) => `coop-${k}.example`;
export const partnerIri = (k: number) => `https://${partnerHost(k)}/coops/coop`;
const partnerRegion = (k: number) => REGIONS[k % REGIONS.length]!;
const partnerCurrency = (k: number) => (partnerRegion(k)[0].startsWith("US") ? "USD" : "EUR");

async function seedPartners(db: Database, origin: string): Promise<void> {
  const actors = await db
    .insert(remoteActors)
    .values(
      Array.from({ length: PARTNERS }, (_, k) => ({
        iri: partnerIri(k),
        type: "Organization",
        handle: `coop@${partnerHost(k)}`,
        name: `${NAMES[k % NAMES.length]} ${TRADES[k % TRADES.length]}${k >= NAMES.length ? ` ${Math.floor(k / NAMES.length) + 1}` : ""}`,
        summary: `<p>A worker-owned ${TRADES[k % TRADES.length]!.toLowerCase()} in ${partnerRegion(k)[0]}.</p>`,
        url: `https://${partnerHost(k)}/`,
        inbox: `${partnerIri(k)}/inbox`,
        sharedInbox: `https://${partnerHost(k)}/inbox`,
        region: partnerRegion(k)[0],
        knownVia: k < FOLLOWED ? "follow" : k % 3 === 0 ? "relay" : "crawl",
      })),
    )
    .returning({ id: remoteActors.id, iri: remoteActors.iri });
  const idOf = new Map(actors.map((a) => [a.iri, a.id]));
  await db.insert(following).values(
    Array.from({ length: FOLLOWED }, (_, k) => ({
      actorId: idOf.get(partnerIri(k))!,
      followIri: `${origin}/follows/${randomUUID()}`,
      state: k % 10 === 9 ? ("pending" as const) : ("accepted" as const),
    })),
  );
  // Half of our followers are co-ops we follow back; a few wait for approval.
  await db.insert(followers).values(
    Array.from({ length: FOLLOWERS }, (_, i) => ({
      actorId: idOf.get(partnerIri(i < FOLLOWERS / 2 ? i : FOLLOWED + i))!,
      followIri: `https://${partnerHost(i)}/follows/${randomUUID()}`,
      state: i % 16 === 15 ? ("pending" as const) : ("accepted" as const),
    })),
  );
}

/**
 * One INSERT … SELECT for our own listings and one for the partners'.
 * Kinds, categories, regions, prices and windows vary with the row number.
 */
async function seedListings(db: Database, origin: string, ourIri: string): Promise<void> {
  const words = list(WORDS);
  const categories = list(CATEGORIES);
  const regions = list(REGIONS.map(([r]) => r));
  const lats = sql.raw(`(ARRAY[${REGIONS.map(([, lat]) => lat).join(",")}]::float8[])`);
  const lons = sql.raw(`(ARRAY[${REGIONS.map(([, , lon]) => lon).join(",")}]::float8[])`);
  const W = n(WORDS.length);
  const C = n(CATEGORIES.length);
  const common = (kind: SQL, currency: SQL, region: SQL) => sql`
    ${kind},
    CASE WHEN g % 41 = 0 THEN 'paused' ELSE 'active' END,
    initcap(${words}[1 + (g * 7) % ${W}]) || ' ' || ${words}[1 + (g * 13) % ${W}] || ' ' || ${words}[1 + (g * 31) % ${W}],
    '<p>' || ${words}[1 + (g * 17) % ${W}] || ' ' || ${words}[1 + (g * 23) % ${W}] || ', ' || ${words}[1 + (g * 29) % ${W}]
      || ' and ' || ${words}[1 + (g * 37) % ${W}] || '. Minimum order applies; ask us about samples.</p>',
    ${categories}[1 + (g * 11) % ${C}],
    CASE WHEN ${kind} = 'capacity' THEN NULL ELSE (100 + (g * 53) % 4900)::numeric END,
    CASE WHEN ${kind} = 'capacity' THEN NULL WHEN g % 5 = 0 THEN 'KGM' WHEN g % 5 = 1 THEN 'MTR' ELSE 'H87' END,
    CASE WHEN ${kind} = 'offer' THEN (10 + g % 90)::numeric END,
    CASE WHEN ${kind} = 'offer' THEN CASE WHEN g % 5 = 0 THEN 'KGM' WHEN g % 5 = 1 THEN 'MTR' ELSE 'H87' END END,
    CASE WHEN ${kind} = 'offer' THEN (2 + (g * 7) % 40)::numeric + 0.5 END,
    CASE WHEN ${kind} <> 'need' THEN ${currency} END,
    CASE WHEN ${kind} = 'offer' THEN CASE WHEN g % 5 = 0 THEN 'KGM' WHEN g % 5 = 1 THEN 'MTR' ELSE 'H87' END END,
    CASE WHEN ${kind} = 'capacity' THEN (200 + (g * 13) % 3000)::numeric END,
    CASE WHEN ${kind} = 'capacity' THEN 'H87' END,
    CASE WHEN ${kind} = 'capacity' THEN 'P1W' END,
    CASE WHEN g % 4 = 0 THEN NULL ELSE now() + ((g * 37) % 200 - 40) * interval '1 day' END,
    CASE WHEN g % 4 = 0 THEN NULL ELSE now() + ((g * 37) % 200 - 40 + 14 + g % 90) * interval '1 day' END,
    ${region},
    ${lats}[1 + (array_position(${regions}, ${region}) - 1)] + ((g * 7919) % 2000 - 1000) / 1000.0,
    ${lons}[1 + (array_position(${regions}, ${region}) - 1)] + ((g * 104729) % 2000 - 1000) / 1000.0,
    now() - (g % 700) * interval '13 hours',
    now() - (g % 500) * interval '11 hours'`;
  const columns = sql`kind, status, title, description_html, category, quantity_amount, quantity_unit,
    minimum_amount, minimum_unit, price_amount, price_currency, price_per, rate_amount, rate_unit, rate_per,
    available_from, available_until, region, latitude, longitude, published, updated`;
  // Ours: mostly offers and capacity, some needs; public, followers-only and partners-only.
  const ourKind = sql`(CASE WHEN g % 10 < 6 THEN 'offer' WHEN g % 10 < 9 THEN 'capacity' ELSE 'need' END)`;
  await db.execute(sql`
    INSERT INTO listings (id, iri, author_iri, local, source, description_source, visibility, partners, ${columns})
    SELECT u, ${origin}::text || '/listings/' || u, ${ourIri}::text, true, 'own', 'Small batches, **made here**.',
           CASE WHEN g % 10 < 7 THEN 'public' WHEN g % 10 < 9 THEN 'followers' ELSE 'partners' END,
           CASE WHEN g % 10 = 9 THEN ARRAY['https://coop-' || (g % ${n(FOLLOWED)}) || '.example/coops/coop'] ELSE '{}'::text[] END,
           ${common(ourKind, sql`'USD'`, sql`${OUR_REGION[0]}::text`)}
      FROM (SELECT g, gen_random_uuid() AS u FROM generate_series(0, ${n(LOCAL_LISTINGS - 1)}) AS g) AS s`);
  // g % 10 would follow the co-op (g % 200): every co-op gets every kind.
  const m = sql`((g + g / ${n(PARTNERS)}) % 10)`;
  const theirKind = sql`(CASE WHEN ${m} < 4 THEN 'offer' WHEN ${m} < 8 THEN 'capacity' ELSE 'need' END)`;
  const k = sql`(g % ${n(PARTNERS)})`;
  await db.execute(sql`
    INSERT INTO listings (iri, author_iri, local, source, visibility, ${columns})
    SELECT 'https://coop-' || ${k} || '.example/listings/' || g, 'https://coop-' || ${k} || '.example/coops/coop', false,
           CASE WHEN ${k} < ${n(FOLLOWED)} THEN 'follow' WHEN ${k} % 3 = 0 THEN 'relay' ELSE 'crawl' END,
           CASE WHEN ${k} < ${n(FOLLOWED)} AND g % 5 = 0 THEN 'followers' ELSE 'public' END,
           ${common(
             theirKind,
             sql`(CASE WHEN ${regions}[1 + ${k} % ${n(REGIONS.length)}] LIKE 'US-%' THEN 'USD' ELSE 'EUR' END)`,
             sql`${regions}[1 + ${k} % ${n(REGIONS.length)}]`,
           )}
      FROM generate_series(0, ${n(REMOTE_LISTINGS - 1)}) AS g`);
}

interface Orderable {
  iri: string;
  title: string;
  author: string;
  unit: string;
  price: string;
  currency: string;
}

/** The steps of each kind of order history, after the order itself; weights sum to 100. */
const SCENARIOS: [number, string[]][] = [
  [12, []],
  [6, ["reject"]],
  [5, ["cancel"]],
  [6, ["propose"]],
  [10, ["accept"]],
  [5, ["propose", "acceptChanges"]],
  [9, ["accept", "shipPart"]],
  [5, ["accept", "change"]],
  [4, ["accept", "shipPart", "cancel"]],
  [24, ["accept", "shipRest", "receiveRest"]],
  [8, ["accept", "shipPart", "receivePart", "shipRest", "receiveRest"]],
  [6, ["propose", "acceptChanges", "change", "acceptChange", "shipPart", "receivePart", "shipRest", "receiveRest"]],
];
/** The order the bench opens as "a long-history order": every kind of step, and deliveries in five parts. */
const LONG_HISTORY = ["propose", "acceptChanges", "change", "acceptChange", "change", "rejectChange"].concat(
  ...Array.from({ length: 4 }, () => ["shipPart", "receivePart"]),
  ["shipRest", "receiveRest"],
);

function scenarioOf(i: number): string[] {
  if (i === 0) return LONG_HISTORY;
  let roll = (i * 37) % 100;
  for (const [weight, steps] of SCENARIOS) {
    if (roll < weight) return steps;
    roll -= weight;
  }
  return [];
}

function left(view: OrderView, what: "ship" | "receive") {
  return view.lines
    .filter((l) => l.status !== "not_accepted")
    .map((l) => ({
      id: l.id,
      rest:
        what === "ship"
          ? Number(l.quantity.amount) - Number(l.shipped) - Number(l.cancelled)
          : Number(l.shipped) - Number(l.received),
    }))
    .filter((l) => l.rest > 0);
}

/** The next event's type, author and payload, worked out from the order as it stands. */
function step(name: string, view: OrderView, at: Date): [EventType, EventPayload] {
  const date = at.toISOString().slice(0, 10);
  const first = view.lines[0]!;
  const more = (by: number) => ({ amount: String(Number(first.quantity.amount) + by), unit: first.quantity.unit });
  switch (name) {
    case "accept":
      return ["accept", { type: "accept" }];
    case "reject":
      return ["reject", { type: "reject", reason: "We are fully booked that month." }];
    case "cancel":
      return ["cancel", { type: "cancel", reason: "Our customer cancelled the run." }];
    case "propose":
      return [
        "propose_changes",
        { type: "propose_changes", changes: [{ id: first.id, quantity: more(-20) }], note: "We can make 20 fewer." },
      ];
    case "acceptChanges":
      return ["accept_changes", { type: "accept_changes" }];
    case "change":
      return ["change", { type: "change", changes: [{ id: first.id, quantity: more(10) }], note: "Ten more, please." }];
    case "acceptChange":
      return ["accept_change", { type: "accept_change" }];
    case "rejectChange":
      return ["reject_change", { type: "reject_change", reason: "No more yarn of that lot." }];
    case "shipPart":
    case "shipRest": {
      const lines = left(view, "ship").map((l) => ({
        id: l.id,
        quantity: String(name === "shipRest" ? l.rest : Math.max(1, Math.floor(l.rest / 2))),
      }));
      return ["ship", { type: "ship", lines, date, tracking: `1Z${at.getTime().toString(36).toUpperCase()}` }];
    }
    case "receivePart":
    case "receiveRest": {
      const lines = left(view, "receive").map((l) => ({
        id: l.id,
        quantity: String(name === "receiveRest" ? l.rest : Math.max(1, Math.floor(l.rest / 2))),
      }));
      return ["receive", { type: "receive", lines, date }];
    }
  }
  throw new Error(`unknown step ${name}`);
}

/**
 * Orders placed (we buy from a partner's offers) and received (a partner
 * buys ours), alternating; most with the followed partners, the rest spread
 * over all 200. Returns the id of the long-history order.
 */
async function seedOrders(db: Database, origin: string, ourIri: string): Promise<string> {
  const rows = rowsOf<Orderable>(
    await db.execute(sql`
      SELECT iri, title, author_iri AS author, coalesce(price_per, rate_unit, quantity_unit) AS unit,
             coalesce(price_amount, rate_amount)::text AS price, price_currency AS currency
        FROM listings WHERE kind IN ('offer', 'capacity') AND status = 'active' ORDER BY iri`),
  );
  const byAuthor = new Map<string, Orderable[]>();
  for (const row of rows) byAuthor.set(row.author, [...(byAuthor.get(row.author) ?? []), row]);
  const now = Date.now();
  let longHistoryIri = "";
  for (let i = 0; i < ORDERS; i++) {
    const role: Role = i % 2 === 0 ? "buyer" : "seller";
    const k = i % 4 === 3 ? (i * 7) % PARTNERS : (i * 3) % FOLLOWED;
    const partner = partnerIri(k);
    const seller = role === "buyer" ? partner : ourIri;
    const offers = byAuthor.get(seller) ?? [];
    if (offers.length === 0) throw new Error(`no offers from ${seller}`);
    const count = i === 0 ? 3 : 1 + (i % 3);
    const picked = Array.from({ length: count }, (_, j) => offers[(i * 5 + j * 11) % offers.length]!);
    const currency = role === "buyer" ? partnerCurrency(k) : "USD";
    const placed = new Date(now - (((i * 7919) % 360) + 2) * 86_400_000);
    const lines: OrderLine[] = picked.map((l, j) => ({
      id: String(j + 1),
      listing: l.iri,
      title: l.title,
      quantity: { amount: String(40 + ((i * 13 + j * 29) % 400)), unit: l.unit },
      unitPrice: { amount: l.price, currency },
      deliveryDate: j === 2 ? new Date(placed.getTime() + 21 * 86_400_000).toISOString().slice(0, 10) : null,
    }));
    const orderIri = `${role === "buyer" ? origin : `https://${partnerHost(k)}`}/orders/${randomUUID()}`;
    const parties = { iri: orderIri, role, buyerIri: role === "buyer" ? ourIri : partner, sellerIri: seller };
    const activityBase = (actor: Role) => (actor === role ? origin : `https://${partnerHost(k)}`);
    const windowEnd = new Date(placed.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    let at = placed;
    const record = async (type: EventType, payload: EventPayload, base: number) => {
      const actor = EVENT_ROLE[type];
      const id = `${activityBase(actor)}/activities/${randomUUID()}`;
      const event: OrderEvent = { id, type, actor, base, at: at.toISOString(), payload };
      const activity = { id, type: "Update", actor: actor === "buyer" ? parties.buyerIri : parties.sellerIri };
      return (await recordOrderEvent(db, parties, event, activity, { mustApply: true })).view;
    };
    let view = await record(
      "order",
      {
        type: "order",
        terms: {
          lines,
          currency,
          deliveryWindow: { from: null, until: windowEnd },
          deliverTo: { name: "Receiving dock", address: "12 Mill Street", region: OUR_REGION[0] },
          partialDelivery: true,
          note: i % 3 === 0 ? "Please pack by size." : null,
        },
      },
      0,
    );
    for (const name of scenarioOf(i)) {
      at = new Date(Math.min(now, at.getTime() + (1 + (i % 3)) * 86_400_000));
      const [type, payload] = step(name, view, at);
      view = await record(type, payload, view.version);
    }
    if (i === 0) longHistoryIri = orderIri;
  }
  // recordOrderEvent stamps the row with the time it ran; a real one was last changed by its last event.
  await db.execute(sql`
    UPDATE orders o SET created_at = e.first, updated_at = e.last
      FROM (SELECT order_iri, min(at) AS first, max(at) AS last FROM order_events GROUP BY order_iri) e
     WHERE e.order_iri = o.iri`);
  const [row] = rowsOf<{ id: string }>(await db.execute(sql`SELECT id FROM orders WHERE iri = ${longHistoryIri}`));
  return row!.id;
}

export interface Seeded {
  longHistoryOrderId: string;
}

export async function seedWorkspace(db: Database, origin: string, ourIri: string): Promise<Seeded> {
  await seedPartners(db, origin);
  await seedListings(db, origin, ourIri);
  // A node finds matches as each listing is stored; written directly, they are found here in one go.
  await rebuildMatches(db);
  const longHistoryOrderId = await seedOrders(db, origin, ourIri);
  await db.execute(sql`VACUUM ANALYZE`);
  return { longHistoryOrderId };
}
