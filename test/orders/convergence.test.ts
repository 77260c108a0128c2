// Both nodes hold the same order and history whatever the network does:
// deliveries between buyer and seller go through proxies that drop,
// duplicate, delay and reorder them, while both sides act at random, racing
// each other. After things settle, the two views must be identical.
import { createExponentialBackoffPolicy } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/databases.ts";
import { launchNode, type TestNode } from "../support/launch.ts";
import { eventually } from "../support/network.ts";
import { type Market, openMarket, orderBody, orderOn, shared } from "../support/orders.ts";
import { DisruptiveProxy, seededRandom } from "../support/proxy.ts";

const RUNS = Number(process.env.WEFT_CONVERGENCE_RUNS ?? 10);
const STEPS = 20;

async function nodeBehindProxy(): Promise<{ node: TestNode; proxy: DisruptiveProxy }> {
  const proxy = new DisruptiveProxy();
  const port = await proxy.listen();
  const database = await createTestDatabase();
  const node = await launchNode({
    database: database.source,
    cleanup: database.drop,
    env: { WEFT_ORIGIN: `http://127.0.0.1:${port}` },
    delivery: {
      // Lost deliveries come back in milliseconds, not Fedify's production minutes.
      outboxRetryPolicy: createExponentialBackoffPolicy({
        initialDelay: { milliseconds: 20 },
        maxDelay: { milliseconds: 250 },
        maxAttempts: 40,
      }),
      circuitBreaker: false,
    },
  });
  proxy.targetPort = (node.server.address() as { port: number }).port;
  return { node, proxy };
}

type Side = "buyer" | "seller";

/** A plausible body for `action` given the order as `side` sees it. */
function bodyFor(action: string, order: any, rng: () => number): unknown {
  const live = order.lines.filter((l: any) => l.status !== "not_accepted");
  switch (action) {
    case "reject":
    case "cancel":
      return { reason: `random ${action}` };
    case "propose-changes":
      return rng() < 0.5
        ? { changes: [{ id: "1", quantity: { amount: "150", unit: "MTR" } }] }
        : { changes: [{ id: "2", accepted: false }] };
    case "change":
      return { changes: [{ id: "2", quantity: { amount: String(30 + Math.floor(rng() * 20)), unit: "MTR" } }] };
    case "ship": {
      const lines = live
        .map((l: any) => {
          const rest = Number(l.quantity.amount) - Number(l.shipped) - Number(l.cancelled);
          const part = order.partialDelivery ? Math.max(1, Math.ceil(rest * rng())) : rest;
          return { id: l.id, quantity: String(Math.min(rest, part)) };
        })
        .filter((l: any) => Number(l.quantity) > 0);
      return { lines };
    }
    case "receive": {
      const lines = live
        .map((l: any) => ({ id: l.id, quantity: String(Number(l.shipped) - Number(l.received)) }))
        .filter((l: any) => Number(l.quantity) > 0);
      return { lines };
    }
    default:
      return {};
  }
}

describe("order convergence under lost, repeated, late and reordered deliveries", () => {
  let m: Market;
  let proxies: DisruptiveProxy[];
  beforeAll(async () => {
    const seller = await nodeBehindProxy();
    const buyer = await nodeBehindProxy();
    proxies = [seller.proxy, buyer.proxy];
    m = await openMarket([seller.node, buyer.node]);
  });
  afterAll(async () => {
    await Promise.all([m.seller.stop(), m.buyer.stop()]);
    await Promise.all(proxies.map((p) => p.close()));
  });

  async function act(side: Side, iri: string, rng: () => number): Promise<void> {
    const order = await orderOn(m[side], iri);
    if (!order || order.allowedActions.length === 0) return;
    // Ending the order early (cancel, reject) is possible but rarer, so
    // most runs go through changes, shipments and receipts.
    const action = order.allowedActions[Math.floor(rng() * order.allowedActions.length)];
    if ((action === "cancel" || action === "reject") && rng() > 0.1) return;
    const body = bodyFor(action, order, rng) as { lines?: unknown[] };
    if (body.lines && body.lines.length === 0) return; // nothing to ship or receive yet
    const res = await m[side].api("POST", `/orders/${order.id}/${action}`, body);
    // 409: the order moved on under us (a race); that is part of the test.
    expect([200, 409]).toContain(res.status);
  }

  async function settled(iri: string): Promise<[any, any]> {
    let previous = "";
    let stableFor = 0;
    return await eventually(async () => {
      const depths = await Promise.all(
        [m.buyer, m.seller].map(async (n) => (await n.api("GET", "/node")).body.queue.queued),
      );
      const [b, s] = [await orderOn(m.buyer, iri), await orderOn(m.seller, iri)];
      const quiet = depths.every((d) => d === 0) && proxies.every((p) => p.inFlight === 0);
      const snapshot = JSON.stringify([b?.version, s?.version, b?.state, s?.state]);
      stableFor = quiet && snapshot === previous ? stableFor + 1 : 0;
      previous = snapshot;
      return stableFor >= 3 && ([b, s] as [any, any]);
    });
  }

  for (let run = 0; run < RUNS; run++) {
    const seed = 7919 * (run + 1);
    it(`run ${run + 1} (seed ${seed}): both nodes end with the same state and history`, async () => {
      const rng = seededRandom(seed);
      proxies.forEach((p, i) => {
        p.random = seededRandom(seed + i + 1);
        p.mischief = { drop: 0.25, duplicate: 0.25, delay: 0.4, maxDelayMs: 120 };
      });
      const placed = await m.buyer.api("POST", "/orders", orderBody(m, { partialDelivery: rng() < 0.7 }));
      expect(placed.status).toBe(201);
      const iri = placed.body.iri;
      for (let step = 0; step < STEPS; step++) {
        const roll = rng();
        if (roll < 0.25) {
          // Both sides act at the same moment on what they see: a race.
          await Promise.all([act("buyer", iri, rng), act("seller", iri, rng)]);
        } else {
          await act(roll < 0.6 ? "seller" : "buyer", iri, rng);
        }
        await new Promise((r) => setTimeout(r, rng() * 60));
      }
      const [b, s] = await settled(iri);
      expect(shared(b)).toEqual(shared(s));
      expect(b.history.length).toBeGreaterThan(1);
    });
  }

  it("the proxies really dropped, duplicated and delayed deliveries", () => {
    const total = proxies.reduce(
      (acc, p) => ({
        dropped: acc.dropped + p.stats.dropped,
        duplicated: acc.duplicated + p.stats.duplicated,
        delayed: acc.delayed + p.stats.delayed,
      }),
      { dropped: 0, duplicated: 0, delayed: 0 },
    );
    expect(total.dropped).toBeGreaterThan(0);
    expect(total.duplicated).toBeGreaterThan(0);
    expect(total.delayed).toBeGreaterThan(0);
  });
});
