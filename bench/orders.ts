// Order round trip on loopback between two nodes in this process: the buyer
// places an order (POST /api/v1/orders, sent as an Offer); the bench plays
// the seller's staff and accepts it (POST /api/v1/orders/{id}/accept) as
// soon as it shows in the seller's orders table; the clock stops when the
// buyer's orders table shows it accepted. The tables are looked at after
// each message the node's queue handled (HandledSignal), not polled: on
// PGlite a 2-ms poll ran in the same thread as both nodes' databases and
// slowed what it measured. The market is opened as test/support/orders.ts's openMarket():
// the seller publishes two offers and the buyer follows and receives them.
//
// Latency: one order at a time, queues let run empty in between, on PGlite
// and PostgreSQL. Throughput (PostgreSQL): a burst of orders placed with a
// fixed number of POSTs in flight while an accepting loop on the seller
// accepts every order it sees; until all are accepted on both sides.

import { and, count, eq } from "drizzle-orm";
import { listings, orders as orderTable } from "../src/db/schema.ts";
import { jersey, orderBody, rib } from "../test/support/fixtures.ts";
import type { TestNode } from "../test/support/launch.ts";
import {
  cpuMs,
  DRIVER_LABEL,
  type Driver,
  databaseSources,
  followAccepted,
  HandledSignal,
  launchBenchNode,
  publish,
  queuesEmpty,
  quietLogs,
  until,
  untilHandled,
} from "./receivers.ts";
import { type BenchContext, type Benchmark, type Figure, median, percentile, sleep } from "./support.ts";

const ITERATIONS = Number(process.env.BENCH_ORDER_ITERATIONS ?? 50);
const WARMUP = 3;
const POLL_MS = 2;
const TARGET_P50_MS = 100;
const BURST = Number(process.env.BENCH_ORDER_BURST ?? 300);
const IN_FLIGHT = 16;

interface Market {
  seller: TestNode;
  buyer: TestNode;
  sellerHandled: HandledSignal;
  buyerHandled: HandledSignal;
  jerseyIri: string;
  ribIri: string;
}

async function openMarket(ctx: BenchContext, driver: Driver, adminUrl?: string): Promise<Market> {
  const [sellerDb, buyerDb] = await databaseSources(ctx, driver, 2, adminUrl);
  const sellerHandled = new HandledSignal();
  const buyerHandled = new HandledSignal();
  const seller = await launchBenchNode(ctx, {
    database: sellerDb!,
    handle: "seller",
    queue: { onHandled: sellerHandled.notify },
  });
  const buyer = await launchBenchNode(ctx, {
    database: buyerDb!,
    handle: "buyer",
    queue: { onHandled: buyerHandled.notify },
  });
  const jerseyIri = await publish(seller, jersey);
  const ribIri = await publish(seller, rib);
  // The follow backfills both listings to the buyer.
  await followAccepted(buyer, seller);
  await until(
    async () =>
      Number(
        (await buyer.db.select({ n: count() }).from(listings).where(eq(listings.authorIri, seller.actorUrl)))[0]!.n,
      ) >= 2,
    "the seller's listings on the buyer",
    { intervalMs: 20 },
  );
  await queuesEmpty(seller, buyer);
  return { seller, buyer, sellerHandled, buyerHandled, jerseyIri, ribIri };
}

async function place(m: Market): Promise<string> {
  const placed = await m.buyer.api("POST", "/orders", orderBody(m));
  if (placed.status !== 201) throw new Error(`POST /orders answered ${placed.status}: ${JSON.stringify(placed.body)}`);
  return placed.body.iri as string;
}

async function accept(seller: TestNode, id: string): Promise<void> {
  const accepted = await seller.api("POST", `/orders/${id}/accept`, {});
  if (accepted.status !== 200) {
    throw new Error(`POST /orders/${id}/accept answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  }
}

interface Sample {
  total: number;
  /** Buyer's POST answered; order in the seller's table; seller's accept answered (from the start). */
  placed: number;
  atSeller: number;
  acceptAnswered: number;
}

async function roundTrip(m: Market): Promise<Sample> {
  const start = performance.now();
  const iri = await place(m);
  const placed = performance.now() - start;
  let sellerId: string | undefined;
  const atSeller = await untilHandled(
    m.sellerHandled,
    async () => {
      const [row] = await m.seller.db.select({ id: orderTable.id }).from(orderTable).where(eq(orderTable.iri, iri));
      sellerId = row?.id;
      return row !== undefined;
    },
    "the order on the seller",
  );
  await accept(m.seller, sellerId!);
  const acceptAnswered = performance.now() - start;
  const done = await untilHandled(
    m.buyerHandled,
    async () => {
      const [row] = await m.buyer.db
        .select({ state: orderTable.state })
        .from(orderTable)
        .where(eq(orderTable.iri, iri));
      return row?.state === "accepted";
    },
    "the order accepted on the buyer",
  );
  await queuesEmpty(m.seller, m.buyer);
  return { total: done - start, placed, atSeller: atSeller - start, acceptAnswered };
}

async function latency(
  ctx: BenchContext,
  driver: Driver,
  adminUrl?: string,
): Promise<{ figures: Figure[]; m: Market }> {
  const m = await openMarket(ctx, driver, adminUrl);
  const first = await roundTrip(m);
  for (let i = 1; i < WARMUP; i++) await roundTrip(m);
  const samples: Sample[] = [];
  for (let i = 0; i < ITERATIONS; i++) samples.push(await roundTrip(m));
  const totals = samples.map((s) => s.total);
  const p = (name: string) => `${DRIVER_LABEL[driver]}: ${name}`;
  const phase = (pick: (s: Sample) => number) => median(samples.map(pick));
  return {
    m,
    figures: [
      {
        name: p("order → accepted on buyer p50"),
        value: percentile(totals, 50),
        unit: "ms",
        target: TARGET_P50_MS,
        note: `${ITERATIONS} orders after ${WARMUP} warm-ups; tables checked after each queue message handled`,
      },
      {
        name: p("1. POST /orders → 201"),
        value: phase((s) => s.placed),
        unit: "ms",
        part: true,
        note: "buyer: sign the Offer (proof), store the event, queue it",
      },
      {
        name: p("2. → order in seller's table"),
        value: phase((s) => s.atSeller - s.placed),
        unit: "ms",
        part: true,
        note: "buyer's worker: HTTP-sign, POST the Offer; seller: verify the proof, queue, store",
      },
      {
        name: p("3. → POST accept → 200"),
        value: phase((s) => s.acceptAnswered - s.atSeller),
        unit: "ms",
        part: true,
      },
      {
        name: p("4. → accepted in buyer's table"),
        value: phase((s) => s.total - s.acceptAnswered),
        unit: "ms",
        part: true,
        note: "seller's worker: HTTP-sign, POST the Accept; buyer: verify the proof, queue, apply",
      },
      { name: p("order → accepted on buyer p90"), value: percentile(totals, 90), unit: "ms" },
      { name: p("order → accepted on buyer p99"), value: percentile(totals, 99), unit: "ms" },
      { name: p("first order (cold)"), value: first.total, unit: "ms" },
    ],
  };
}

const acceptedCount = async (node: TestNode, role: "buyer" | "seller") =>
  Number(
    (
      await node.db
        .select({ n: count() })
        .from(orderTable)
        .where(and(eq(orderTable.role, role), eq(orderTable.state, "accepted")))
    )[0]!.n,
  );

/** Places BURST orders, IN_FLIGHT POSTs at a time, while a loop on the seller accepts what it sees. */
async function throughput(m: Market): Promise<Figure[]> {
  const baseBuyer = await acceptedCount(m.buyer, "buyer");
  const baseSeller = await acceptedCount(m.seller, "seller");
  const handled = new Set<string>();
  let stop = false;
  let accepts = 0;
  const acceptor = (async () => {
    const inFlight = new Set<Promise<void>>();
    while (!stop) {
      const fresh = await m.seller.db
        .select({ id: orderTable.id })
        .from(orderTable)
        .where(and(eq(orderTable.role, "seller"), eq(orderTable.state, "sent")));
      for (const { id } of fresh) {
        if (handled.has(id)) continue;
        handled.add(id);
        const task = accept(m.seller, id).then(() => {
          accepts++;
          inFlight.delete(task);
        });
        inFlight.add(task);
        if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      }
      await sleep(POLL_MS);
    }
    await Promise.all(inFlight);
  })();

  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let placed = 0;
  let allPlaced = Number.NaN;
  try {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (placed < BURST) {
          placed++;
          await place(m);
        }
      }),
    );
    allPlaced = performance.now() - start;
    const done = await until(
      async () =>
        (await acceptedCount(m.buyer, "buyer")) - baseBuyer >= BURST &&
        (await acceptedCount(m.seller, "seller")) - baseSeller >= BURST,
      `${BURST} orders accepted on both sides`,
      { intervalMs: 20, timeoutMs: 100_000 },
    );
    const elapsed = done - start;
    const cpu = cpuMs(cpu0);
    return [
      {
        name: "PostgreSQL: orders accepted on both sides per second",
        value: Math.round((BURST / elapsed) * 10_000) / 10,
        unit: "count",
        note: `${BURST} orders, ${IN_FLIGHT} POSTs in flight, all accepted on both in ${Math.round(elapsed)} ms`,
      },
      {
        name: "PostgreSQL: all orders placed (POST /orders → 201)",
        value: allPlaced,
        unit: "ms",
        part: true,
        note: `${Math.round((BURST / allPlaced) * 1000)} orders/s placed`,
      },
      { name: "PostgreSQL: accepts sent by the bench", value: accepts, unit: "count", part: true },
      {
        name: "PostgreSQL: process CPU per order",
        value: cpu / BURST,
        unit: "ms",
        part: true,
        note: "both nodes and the bench in this process; PostgreSQL not included",
      },
    ];
  } finally {
    stop = true;
    await acceptor;
  }
}

export const orders: Benchmark = {
  name: "orders",
  description: `order → accept round trip, ${ITERATIONS} orders on PGlite and PostgreSQL; ${BURST} orders burst on PostgreSQL`,
  async run(ctx) {
    await quietLogs();
    const pglite = await latency(ctx, "pglite");
    await Promise.all([pglite.m.seller.stop(), pglite.m.buyer.stop()]);
    const figures = pglite.figures;
    const adminUrl = await ctx.postgresUrl();
    if (!adminUrl) {
      figures.push({ name: "PostgreSQL", value: Number.NaN, unit: "ms", note: "skipped: no PostgreSQL" });
      return figures;
    }
    const postgres = await latency(ctx, "postgres", adminUrl);
    try {
      figures.push(...postgres.figures, ...(await throughput(postgres.m)));
    } finally {
      await Promise.all([postgres.m.seller.stop(), postgres.m.buyer.stop()]);
    }
    return figures;
  },
};
