// The transactional outbox and fast recovery, with real processes: a node is
// killed (SIGKILL, WEFT_FAULT) inside publishing a listing, following, placing
// an order and each action on one, then restarted; its partner must receive exactly the
// activities of the changes that were committed. And a node killed while
// delivering an accepted order delivers it within 10 s of its restart.
import { describe, expect, it } from "vitest";
import { jersey, rib } from "../support/fixtures.ts";
import { eventually } from "../support/network.ts";
import { createSite, type NodeProcess, PROCESS_LIMIT, type Site, SLOW, startNodeProcess } from "./process.ts";

interface Coop {
  site: Site;
  node: NodeProcess;
}

async function start(site: Site, fault?: string): Promise<NodeProcess> {
  return await startNodeProcess(site, fault ? { WEFT_FAULT: fault } : {});
}

/** Restarts `coop` with `fault`, does `action` (the process dies in it), and waits for the SIGKILL. */
async function crashDuring(coop: Coop, fault: string, action: (node: NodeProcess) => Promise<unknown>) {
  if (coop.node.running) await coop.node.stop();
  coop.node = await start(coop.site, fault);
  await action(coop.node).catch(() => {});
  expect(await coop.node.exit(PROCESS_LIMIT)).toEqual({ code: null, signal: "SIGKILL" });
}

/**
 * Kills `coop` inside `unit` before its commit, checks with `unchanged` that
 * nothing of it stayed, then kills it right after the commit (before any
 * delivery), and restarts it. `action` runs twice; only the second one counts.
 */
async function crashBeforeAndAfterCommit(
  coop: Coop,
  unit: string,
  action: (node: NodeProcess) => Promise<unknown>,
  unchanged: (node: NodeProcess) => Promise<void>,
) {
  await crashDuring(coop, `before-commit:${unit}`, action);
  coop.node = await start(coop.site, `after-commit:${unit}`);
  await unchanged(coop.node);
  await action(coop.node).catch(() => {});
  expect(await coop.node.exit(PROCESS_LIMIT)).toEqual({ code: null, signal: "SIGKILL" });
  coop.node = await start(coop.site);
}

/** Both queues empty: everything sent was delivered and handled. */
async function settled(...coops: Coop[]) {
  await eventually(async () => {
    for (const coop of coops) if ((await coop.node.api("GET", "/node")).body.queue.queued !== 0) return false;
    return true;
  });
}

async function orderOn(coop: Coop, iri: string) {
  return ((await coop.node.api("GET", "/orders")).body.items as any[]).find((o) => o.iri === iri);
}

/** The order as both sides know it, once they agree on `state`: the same events, in the same order. */
async function agreeOn(buyer: Coop, seller: Coop, iri: string, state: string) {
  await settled(buyer, seller);
  const [b, s] = await eventually(async () => {
    const [b, s] = [await orderOn(buyer, iri), await orderOn(seller, iri)];
    return b?.state === state && s?.state === state && b.version === s.version ? [b, s] : null;
  });
  const events = (o: any) => o.history.map((h: any) => [h.type, h.outcome ?? null]);
  expect(events(b)).toEqual(events(s));
  return b;
}

describe("transactional outbox and fast recovery", () => {
  it(
    "after a kill at each point, the partner receives exactly the committed changes' activities",
    async () => {
      const seller: Coop = { site: await createSite(), node: undefined as never };
      const buyer: Coop = { site: await createSite(), node: undefined as never };
      [seller.node, buyer.node] = await Promise.all([start(seller.site), start(buyer.site)]);
      const sellerActor = `${seller.site.origin}/coops/coop`;

      // Following: nothing of a follow killed before its commit; one Follow, accepted, after.
      await crashBeforeAndAfterCommit(
        buyer,
        "follow",
        (node) => node.api("POST", "/following", { actor: sellerActor }),
        async (node) => expect((await node.api("GET", "/following")).body.items).toEqual([]),
      );
      await eventually(async () => (await buyer.node.api("GET", "/following")).body.items[0]?.state === "accepted");
      await settled(buyer, seller);
      expect((await seller.node.api("GET", "/followers")).body.items).toHaveLength(1);

      // Publishing: killed after storing, before the commit, and after it.
      const publish = (title: string) => (node: NodeProcess) => node.api("POST", "/listings", { ...jersey, title });
      await crashDuring(seller, "after-store:publishListing", publish("Jersey, killed after store"));
      await crashBeforeAndAfterCommit(seller, "publishListing", publish("Jersey, committed"), async (node) =>
        expect((await node.api("GET", "/listings")).body.items).toEqual([]),
      );
      expect(((await seller.node.api("GET", "/listings")).body.items as any[]).map((l) => l.title)).toEqual([
        "Jersey, committed",
      ]);
      const ribIri = (await seller.node.api("POST", "/listings", rib)).body.iri;
      await eventually(async () => (await buyer.node.api("GET", "/timeline")).body.items.length >= 2);
      await settled(buyer, seller);
      const titles = ((await buyer.node.api("GET", "/timeline")).body.items as any[]).map((l) => l.title).sort();
      expect(titles).toEqual(["Jersey, committed", rib.title].sort());
      const jerseyIri = ((await seller.node.api("GET", "/listings")).body.items as any[]).find(
        (l) => l.title === "Jersey, committed",
      ).iri;

      const orderBody = {
        lines: [
          {
            listing: jerseyIri,
            quantity: { amount: "100", unit: "MTR" },
            unitPrice: { amount: "7.40", currency: "USD" },
          },
          { listing: ribIri, quantity: { amount: "30", unit: "MTR" }, unitPrice: { amount: "5.125", currency: "USD" } },
        ],
      };
      const orders = async (coop: Coop) => (await coop.node.api("GET", "/orders")).body.items as any[];

      // Placing an order.
      await crashBeforeAndAfterCommit(
        buyer,
        "placeOrder",
        (node) => node.api("POST", "/orders", orderBody),
        async () => expect(await orders(buyer)).toEqual([]),
      );
      const [placed] = await orders(buyer);
      expect(await orders(buyer)).toHaveLength(1);
      await agreeOn(buyer, seller, placed.iri, "sent");
      expect(await orders(seller)).toHaveLength(1);

      // Each action on an order, by the side that takes it; two more orders for reject and cancel.
      const all = [
        { id: "1", quantity: "100" },
        { id: "2", quantity: "30" },
      ];
      const place = async () => {
        const iri = (await buyer.node.api("POST", "/orders", orderBody)).body.iri as string;
        await agreeOn(buyer, seller, iri, "sent");
        return iri;
      };
      let changed = "";
      const lessJersey = { changes: [{ id: "1", quantity: { amount: "80", unit: "MTR" } }] };
      const moreJersey = { changes: [{ id: "1", quantity: { amount: "90", unit: "MTR" } }] };
      const steps: [() => Promise<string>, Coop, string, unknown, string, string][] = [
        [async () => placed.iri, seller, "accept", {}, "sent", "accepted"],
        [async () => placed.iri, seller, "ship", { lines: all }, "accepted", "accepted"],
        [async () => placed.iri, buyer, "receive", { lines: all }, "accepted", "completed"],
        [place, seller, "reject", { reason: "No capacity" }, "sent", "rejected"],
        [place, buyer, "cancel", { reason: "Not needed" }, "sent", "cancelled"],
        [
          async () => (changed = await place()),
          seller,
          "propose-changes",
          lessJersey,
          "sent",
          "conditionally_accepted",
        ],
        [async () => changed, buyer, "accept-changes", {}, "conditionally_accepted", "accepted"],
        [async () => changed, buyer, "change", moreJersey, "accepted", "change_requested"],
      ];
      for (const [orderIri, coop, action, body, before, after] of steps) {
        const iri = await orderIri();
        const { id, version } = await orderOn(coop, iri);
        await crashBeforeAndAfterCommit(
          coop,
          `order-${action}`,
          (node) => node.api("POST", `/orders/${id}/${action}`, body),
          async () => {
            const now = await orderOn(coop, iri);
            expect([action, now.state, now.version]).toEqual([action, before, version]);
          },
        );
        const agreed = await agreeOn(buyer, seller, iri, after);
        expect([action, agreed.version]).toEqual([action, version + 1]);
      }
    },
    SLOW * 3,
  );

  it(
    "a node killed while delivering an acceptance delivers it within 10 s of its restart, not after the lease",
    async () => {
      const seller: Coop = { site: await createSite(), node: undefined as never };
      const buyer: Coop = { site: await createSite(), node: undefined as never };
      [seller.node, buyer.node] = await Promise.all([start(seller.site), start(buyer.site)]);
      await buyer.node.api("POST", "/following", { actor: `${seller.site.origin}/coops/coop` });
      const listing = (await seller.node.api("POST", "/listings", jersey)).body.iri as string;
      await eventually(async () => (await buyer.node.api("GET", "/timeline")).body.items.length === 1);
      const orderBody = {
        lines: [{ listing, quantity: { amount: "100", unit: "MTR" }, unitPrice: { amount: "7.40", currency: "USD" } }],
      };
      const iri = (await buyer.node.api("POST", "/orders", orderBody)).body.iri as string;
      await agreeOn(buyer, seller, iri, "sent");
      const { id } = await orderOn(seller, iri);
      // Killed as its queue worker starts delivering the Accept: the message is
      // committed and claimed under a lease (60 s) that nobody will release.
      await crashDuring(seller, "handling:queue", (node) => node.api("POST", `/orders/${id}/accept`, {}));
      seller.node = await start(seller.site);
      const restarted = Date.now();
      await eventually(async () => (await orderOn(buyer, iri))?.state === "accepted", 10_000);
      expect(Date.now() - restarted).toBeLessThan(10_000);
      await agreeOn(buyer, seller, iri, "accepted");
    },
    SLOW,
  );
});
