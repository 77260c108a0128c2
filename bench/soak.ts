// A week in a day (issue 15, item 9): three nodes started as `npm start`
// does, on PGlite, trading through the admin API for BENCH_SOAK_MINUTES
// (default 60) while a chaos loop stops a node (SIGTERM, sometimes SIGKILL)
// for 5–60 s and starts it again on the same folder and port. Then: chaos
// stops, every queue must drain, both sides of every order must show the
// same state and version, and the long-lived node's memory must not have
// grown. Not part of `npm test`: `BENCH_SOAK_MINUTES=60 npm run bench -- soak`.
//
// The first node ("steady") is never stopped, so its RSS from the start of
// trade to the end measures growth over the whole run; the other two are the
// partners that go away. Requests go only to 127.0.0.1; every loop is
// bounded in time and count and the run stops by itself.
//
// Environment: BENCH_SOAK_MINUTES (60), BENCH_SOAK_SEED (random; printed),
// BENCH_SOAK_DRAIN_MINUTES (15: how long the queues get to empty).
import { jersey, rib } from "../test/support/fixtures.ts";
import { SoakNode, waitFor } from "./soak-nodes.ts";
import { compareOrders, type Market, random, type Tally, tradeStep } from "./soak-trade.ts";
import type { BenchContext, Benchmark, Figure } from "./support.ts";
import { sleep } from "./support.ts";

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 60);
const DRAIN_MINUTES = Number(process.env.BENCH_SOAK_DRAIN_MINUTES ?? 15);
const SEED = Number(process.env.BENCH_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Pause between trade steps: a few steps a second, a busy co-op's day many times over. */
const STEP_GAP_MS = 250;
const MAX_STEPS = MINUTES * 60 * 10;
/** Time between one outage's end and the next one's start. */
const CALM_MS = [10_000, 40_000] as const;
const OUTAGE_MS = [5_000, 60_000] as const;
const SIGKILL_SHARE = 0.3;

function say(message: string): void {
  try {
    process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${message}\n`);
  } catch {}
}

const between = (rand: () => number, [min, max]: readonly [number, number]) => min + Math.floor(rand() * (max - min));

async function openMarket(ctx: BenchContext): Promise<Market> {
  const nodes = await Promise.all(["steady", "north", "south"].map((name) => SoakNode.create(ctx, name)));
  const byActor = new Map<string, SoakNode>();
  const listings: Market["listings"] = new Map();
  for (const node of nodes) {
    const profile = await node.api("PATCH", "/node", { name: `Soak ${node.name}` });
    if (profile.status !== 200) throw new Error(`PATCH /node on ${node.name}: ${profile.status}`);
    byActor.set(profile.body.actor, node);
    const own = [];
    for (const listing of [jersey, rib]) {
      const made = await node.api("POST", "/listings", { ...listing, title: `${listing.title} (${node.name})` });
      if (made.status !== 201) throw new Error(`POST /listings on ${node.name}: ${JSON.stringify(made.body)}`);
      own.push({ id: made.body.id, iri: made.body.iri, minimum: Number(listing.minimumOrder?.amount ?? 1) });
    }
    listings.set(node.name, own);
  }
  for (const node of nodes) {
    for (const other of nodes) {
      if (other === node) continue;
      const actor = [...byActor].find(([, n]) => n === other)![0];
      const followed = await node.api("POST", "/following", { actor });
      if (followed.status !== 202) throw new Error(`follow ${node.name} → ${other.name}: ${followed.status}`);
    }
  }
  const followsAccepted = await waitFor(async () => {
    for (const node of nodes) {
      const list = await node.api("GET", "/following");
      if (list.status !== 200 || list.body.items.some((f: { state: string }) => f.state !== "accepted")) return false;
    }
    return true;
  }, 60_000);
  if (!followsAccepted) throw new Error("the follows were not accepted within a minute");
  // The follows backfill each partner's listings; wait for that work to finish.
  if (!(await queuesEmpty(nodes, 60_000))) throw new Error("the queues did not empty after the follows");
  return { nodes, byActor, listings };
}

async function queuesEmpty(nodes: SoakNode[], timeoutMs: number): Promise<boolean> {
  return waitFor(
    async () => {
      for (const node of nodes) if ((await node.queueDepth())?.queued !== 0) return false;
      return true;
    },
    timeoutMs,
    2000,
  );
}

interface Chaos {
  outages: number;
  kills: number;
  restartFailures: string[];
}

/** Stops one of `targets` at a time, for 5–60 s, until `until` has passed. */
async function chaosLoop(rand: () => number, targets: SoakNode[], until: number, chaos: Chaos): Promise<void> {
  while (performance.now() < until) {
    await sleep(Math.min(between(rand, CALM_MS), Math.max(0, until - performance.now())));
    if (performance.now() >= until) break;
    const node = targets[Math.floor(rand() * targets.length)]!;
    const signal = rand() < SIGKILL_SHARE ? "SIGKILL" : "SIGTERM";
    const outage = between(rand, OUTAGE_MS);
    say(`chaos: ${signal} ${node.name} for ${Math.round(outage / 1000)} s`);
    await node.stop(signal);
    chaos.outages++;
    if (signal === "SIGKILL") chaos.kills++;
    await sleep(outage);
    try {
      await node.start();
    } catch (error) {
      // One more try; a node that cannot start again is itself a finding.
      chaos.restartFailures.push(`${node.name}: ${(error as Error).message.split("\n")[0]}`);
      await node.start();
    }
  }
}

const mb = (n: number) => Math.round(n * 10) / 10;

export const soak: Benchmark = {
  name: "soak",
  description: `three nodes trading for ${MINUTES} min with partner outages (SIGTERM/SIGKILL), then drain and compare`,
  async run(ctx) {
    say(`seed ${SEED} (BENCH_SOAK_SEED=${SEED} repeats this run's choices)`);
    const m = await openMarket(ctx);
    const [steady, ...partners] = m.nodes as [SoakNode, ...SoakNode[]];
    const rssStart = await Promise.all(m.nodes.map((n) => n.rssMb()));
    say(`market open; RSS ${m.nodes.map((n, i) => `${n.name} ${mb(rssStart[i]!)} MB`).join(", ")}`);

    const tradeStarted = performance.now();
    const until = tradeStarted + MINUTES * 60_000;
    const chaos: Chaos = { outages: 0, kills: 0, restartFailures: [] };
    const chaosDone = chaosLoop(random(SEED + 1), partners, until, chaos);
    const rand = random(SEED);
    const tally: Tally = new Map();
    const placed = new Set<string>();
    const steadyRss: number[] = [];
    let steps = 0;
    let lastReport = tradeStarted;
    while (performance.now() < until && steps < MAX_STEPS) {
      await tradeStep(rand, m, tally, placed);
      steps++;
      if (performance.now() - lastReport > 60_000) {
        lastReport = performance.now();
        steadyRss.push(await steady.rssMb());
        const minute = Math.round((lastReport - tradeStarted) / 60_000);
        say(`minute ${minute}: ${steps} steps, ${placed.size} orders placed, steady RSS ${mb(steadyRss.at(-1)!)} MB`);
      }
      await sleep(STEP_GAP_MS);
    }
    await chaosDone;
    const tradeMs = performance.now() - tradeStarted;
    say(`trade over; waiting up to ${DRAIN_MINUTES} min for the queues to empty`);

    const drainStarted = performance.now();
    const drained = await queuesEmpty(m.nodes, DRAIN_MINUTES * 60_000);
    const drainMs = performance.now() - drainStarted;
    const depths = await Promise.all(m.nodes.map((n) => n.queueDepth()));
    const stuck = depths.reduce((sum, d) => sum + (d?.queued ?? Number.NaN), 0);
    const compared = await compareOrders(m, placed);
    const rssEnd = await Promise.all(m.nodes.map((n) => n.rssMb()));
    for (const d of compared.divergences.slice(0, 20)) {
      say(`DIVERGED ${d.iri} (${d.buyer} → ${d.seller})\n      buyer:  ${d.buyerSide}\n      seller: ${d.sellerSide}`);
    }
    if (!drained)
      say(`queues not empty: ${m.nodes.map((n, i) => `${n.name} ${JSON.stringify(depths[i])}`).join(", ")}`);
    const statuses = [...tally].sort(([a], [b]) => a.localeCompare(b));
    say(`answers: ${statuses.map(([k, v]) => `${k}×${v}`).join(", ")}`);

    const ok = (prefix: string) => statuses.filter(([k]) => k.startsWith(prefix) && / 2\d\d$/.test(k));
    const sum = (rows: [string, number][]) => rows.reduce((s, [, v]) => s + v, 0);
    const refusedDown = sum(statuses.filter(([k]) => k.endsWith(" 0")));
    const conflicts = sum(statuses.filter(([k]) => k.endsWith(" 409")));
    const serverErrors = sum(statuses.filter(([k]) => / 5\d\d$/.test(k)));
    const actions = sum(statuses.filter(([k]) => !k.startsWith("place") && !k.startsWith("edit") && / 200$/.test(k)));
    const figures: Figure[] = [
      {
        name: "trade",
        value: Math.round(tradeMs / 6_000) / 10,
        unit: "count",
        note: `minutes of trade, ${steps} steps, seed ${SEED}`,
      },
      { name: "orders placed", value: sum(ok("place ")), unit: "count", part: true },
      { name: "order actions applied", value: actions, unit: "count", part: true, note: "accept, ship, receive…" },
      { name: "listing edits", value: sum(ok("edit ")), unit: "count", part: true },
      { name: "conflicts (409)", value: conflicts, unit: "count", part: true, note: "the other side moved first" },
      { name: "refused: node down", value: refusedDown, unit: "count", part: true },
      { name: "server errors (5xx)", value: serverErrors, unit: "count", part: true, target: 0 },
      {
        name: "outages",
        value: chaos.outages,
        unit: "count",
        note: `${chaos.kills} by SIGKILL; ${chaos.restartFailures.length} restarts needed a second try`,
      },
      {
        name: "queues drained",
        value: drained ? drainMs : Number.NaN,
        unit: "ms",
        note: drained ? "after trade stopped" : `not within ${DRAIN_MINUTES} min`,
      },
      { name: "stuck queue messages", value: stuck, unit: "count", target: 0 },
      { name: "orders compared", value: compared.orders, unit: "count" },
      { name: "orders diverged", value: compared.divergences.length, unit: "count", target: 0, part: true },
      { name: "placed orders missing", value: compared.missingPlaced, unit: "count", target: 0, part: true },
      {
        name: `RSS growth (${steady.name}, never stopped)`,
        value: rssEnd[0]! - rssStart[0]!,
        unit: "MB",
        note: `${mb(rssStart[0]!)} → ${mb(rssEnd[0]!)} MB; per minute: ${steadyRss.map(mb).join(" ")}`,
      },
      ...partners.map((n, i) => ({
        name: `RSS ${n.name} at the end`,
        value: rssEnd[i + 1]!,
        unit: "MB" as const,
        part: true,
        note: `${mb(rssStart[i + 1]!)} MB at trade start; started ${n.starts} times`,
      })),
    ];
    return figures;
  },
};
