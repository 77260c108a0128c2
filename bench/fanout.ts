// Fan-out of one listing from node A to 1,000 followers spread over 100
// lightweight receiving servers on loopback (bench/receivers.ts: they answer
// 202 to any POST and verify nothing). The followers are inserted directly
// into A's database (remote_actors with a personal inbox and the server's
// shared inbox, and accepted followers rows), not followed over the wire.
//
// Measured from POST /api/v1/listings until every expected delivery of both
// the Create(Proposal) and its Create(Note) twin has arrived. With shared
// inboxes Fedify sends each activity once per server (100); the variant
// without shared inboxes sends to all 1,000 personal inboxes.
//
// Signing: crypto.subtle.sign (Fedify signs only through WebCrypto: HTTP
// signatures, the Linked Data signature and the Ed25519 proof) is wrapped by
// a timer while the fan-out runs. The summed durations overlap (the calls
// run concurrently on libuv's thread pool and include waiting for it and
// for the event loop), so the CPU cost of signing is also estimated as
// count × the CPU time of one signature (a batch of 200 measured apart).
// process.cpuUsage() is this whole process: node A, the receivers, and
// PGlite when A runs on it (PostgreSQL's own processes are not included).

import { sql } from "drizzle-orm";
import { followers, remoteActors } from "../src/db/schema.ts";
import type { TestNode } from "../test/support/launch.ts";
import {
  cpuMs,
  DRIVER_LABEL,
  type Driver,
  databaseSources,
  launchBenchNode,
  offer,
  publish,
  queuesEmpty,
  quietLogs,
  type Receivers,
  startReceivers,
} from "./receivers.ts";
import type { BenchContext, Benchmark, Figure } from "./support.ts";

const FOLLOWERS = Number(process.env.BENCH_FANOUT_FOLLOWERS ?? 1000);
const SERVERS = Number(process.env.BENCH_FANOUT_SERVERS ?? 100);
const TARGET_MS = 10_000;
const SHARED_TIMEOUT_MS = 30_000;
const PERSONAL_TIMEOUT_MS = 60_000;

/** Times every crypto.subtle.sign() until stop(). */
class SignTimer {
  readonly calls = new Map<string, { count: number; ms: number }>();
  readonly #original = crypto.subtle.sign;

  start(): void {
    const original = this.#original;
    const calls = this.calls;
    crypto.subtle.sign = async function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto["sign"]>) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const algorithm = typeof args[0] === "string" ? args[0] : args[0].name;
        const entry = calls.get(algorithm) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        calls.set(algorithm, entry);
      }
    } as SubtleCrypto["sign"];
  }

  stop(): void {
    // The wrapper is an own property of the instance; the prototype's method shows again.
    delete (crypto.subtle as { sign?: unknown }).sign;
    if (crypto.subtle.sign !== this.#original) crypto.subtle.sign = this.#original;
  }
}

/** CPU time (all threads) of one signature with `key`: a batch signed at once, divided. */
async function signCpuMs(key: CryptoKey): Promise<number> {
  const data = new TextEncoder().encode("(request-target): post /inbox\nhost: 127.0.0.1\ndate: x\ndigest: y");
  const batch = () => Promise.all(Array.from({ length: 200 }, () => crypto.subtle.sign(key.algorithm.name, key, data)));
  await batch();
  const cpu0 = process.cpuUsage();
  await batch();
  return cpuMs(cpu0) / 200;
}

async function insertFollowers(node: TestNode, receivers: Receivers): Promise<void> {
  const actors = Array.from({ length: FOLLOWERS }, (_, n) => {
    const origin = receivers.origin(n % SERVERS);
    return {
      iri: `${origin}/users/${n}`,
      type: "Organization",
      handle: `u${n}@${new URL(origin).host}`,
      name: `Follower ${n}`,
      inbox: `${origin}/users/${n}/inbox`,
      sharedInbox: `${origin}/inbox`,
      knownVia: "follower",
    };
  });
  const rows = await node.db
    .insert(remoteActors)
    .values(actors)
    .returning({ id: remoteActors.id, iri: remoteActors.iri });
  await node.db
    .insert(followers)
    .values(rows.map((r) => ({ actorId: r.id, followIri: `${r.iri}/follows/1`, state: "accepted" as const })));
}

interface FanoutResult {
  post: number;
  first: number;
  proposals: number;
  all: number;
  timedOut: boolean;
  proposalDeliveries: number;
  noteDeliveries: number;
  inboxes: number;
  cpu: number;
  signing: Map<string, { count: number; ms: number }>;
}

async function fanOutOnce(
  node: TestNode,
  receivers: Receivers,
  title: string,
  expected: number,
  timeoutMs: number,
): Promise<FanoutResult> {
  await queuesEmpty(node);
  receivers.reset();
  const timer = new SignTimer();
  let iri: string | undefined;
  // Activity ids are `${iri}#create-<ms>` and `${iri}#create-note-<ms>` (src/federation/listings.ts).
  const isProposal = (id?: string) =>
    iri !== undefined && id?.startsWith(`${iri}#create-`) === true && id.charAt(iri.length + 8) !== "n";
  const isNote = (id?: string) => iri !== undefined && id?.startsWith(`${iri}#create-note-`) === true;
  const cpu0 = process.cpuUsage();
  timer.start();
  const start = performance.now();
  let post = Number.NaN;
  let all = Number.NaN;
  let proposals = Number.NaN;
  let timedOut = false;
  try {
    iri = await publish(node, offer(title));
    post = performance.now() - start;
    const proposalsDone = receivers.waitForCount(
      (d) => isProposal(d.id),
      expected,
      timeoutMs,
      "the Create(Proposal) deliveries",
    );
    const notesDone = receivers.waitForCount((d) => isNote(d.id), expected, timeoutMs, "the Create(Note) deliveries");
    const allDone = Promise.all([proposalsDone, notesDone]).then((times) => Math.max(...times));
    try {
      proposals = (await proposalsDone) - start;
      all = (await allDone) - start;
    } catch {
      timedOut = true;
      allDone.catch(() => {});
    }
  } finally {
    timer.stop();
  }
  const cpu = cpuMs(cpu0);
  const first = receivers.deliveries.length > 0 ? receivers.deliveries[0]!.at - start : Number.NaN;
  const result: FanoutResult = {
    post,
    first,
    proposals,
    all,
    timedOut,
    proposalDeliveries: receivers.deliveries.filter((d) => isProposal(d.id)).length,
    noteDeliveries: receivers.deliveries.filter((d) => isNote(d.id)).length,
    inboxes: receivers.perInbox.size,
    cpu,
    signing: timer.calls,
  };
  if (!timedOut) await queuesEmpty(node);
  return result;
}

function figuresOf(
  label: string,
  result: FanoutResult,
  expected: number,
  costs: Record<string, number>,
  target?: number,
): Figure[] {
  const signCount = [...result.signing.values()].reduce((s, c) => s + c.count, 0);
  const signWall = [...result.signing.values()].reduce((s, c) => s + c.ms, 0);
  const signCpu = [...result.signing.entries()].reduce((s, [alg, c]) => s + c.count * (costs[alg] ?? 0), 0);
  const bySign = [...result.signing.entries()].map(([alg, c]) => `${alg} ${c.count}`).join(", ");
  return [
    {
      name: `${label}: publish → all delivered`,
      value: result.all,
      unit: "ms",
      ...(target === undefined ? {} : { target }),
      note: result.timedOut
        ? `not finished: ${result.proposalDeliveries}+${result.noteDeliveries} of ${2 * expected} arrived`
        : `${expected} deliveries per activity, Create(Proposal) and Create(Note)`,
    },
    { name: `${label}: POST /listings → 201`, value: result.post, unit: "ms", part: true },
    { name: `${label}: → first delivery`, value: result.first, unit: "ms", part: true },
    { name: `${label}: → all Create(Proposal) delivered`, value: result.proposals, unit: "ms", part: true },
    {
      name: `${label}: Create(Proposal) deliveries`,
      value: result.proposalDeliveries,
      unit: "count",
      part: true,
      note: `expected ${expected}`,
    },
    {
      name: `${label}: Create(Note) deliveries`,
      value: result.noteDeliveries,
      unit: "count",
      part: true,
      note: `expected ${expected}`,
    },
    { name: `${label}: distinct inboxes POSTed to`, value: result.inboxes, unit: "count", part: true },
    { name: `${label}: signatures`, value: signCount, unit: "count", part: true, note: bySign },
    {
      name: `${label}: signing, est. CPU`,
      value: signCpu,
      unit: "ms",
      part: true,
      note: `count × CPU of one signature (${Object.entries(costs)
        .map(([alg, ms]) => `${alg} ${ms.toFixed(2)} ms`)
        .join(", ")})`,
    },
    {
      name: `${label}: signing, summed call time`,
      value: signWall,
      unit: "ms",
      part: true,
      note: "wrapped crypto.subtle.sign; calls overlap and wait on the thread pool",
    },
    {
      name: `${label}: process CPU during the fan-out`,
      value: result.cpu,
      unit: "ms",
      part: true,
      note: "user+system of this process (node, receivers, PGlite if used)",
    },
  ];
}

async function runDriver(ctx: BenchContext, driver: Driver, adminUrl?: string): Promise<Figure[]> {
  const receivers = await startReceivers(ctx, SERVERS);
  const [source] = await databaseSources(ctx, driver, 1, adminUrl);
  const node = await launchBenchNode(ctx, { database: source!, handle: "a" });
  try {
    await insertFollowers(node, receivers);
    const costs: Record<string, number> = {};
    for (const pair of node.node.deps.services.keyPairs) {
      costs[pair.privateKey.algorithm.name] = await signCpuMs(pair.privateKey);
    }
    const label = `${DRIVER_LABEL[driver]}, ${FOLLOWERS} followers on ${SERVERS} servers`;
    const cold = await fanOutOnce(node, receivers, "Fan-out warm-up", SERVERS, SHARED_TIMEOUT_MS);
    const shared = await fanOutOnce(node, receivers, "Fan-out via shared inboxes", SERVERS, SHARED_TIMEOUT_MS);
    const figures = [
      ...figuresOf(`${label}, shared inboxes`, shared, SERVERS, costs, TARGET_MS).map((f, i) =>
        i === 0 ? { ...f, note: `${f.note}; followers inserted into A's database` } : f,
      ),
      {
        name: `${label}, shared inboxes: first fan-out (cold)`,
        value: cold.all,
        unit: "ms" as const,
        ...(cold.timedOut ? { note: "not finished" } : {}),
      },
    ];

    await node.db.update(remoteActors).set({ sharedInbox: null }).where(sql`true`);
    const personal = await fanOutOnce(node, receivers, "Fan-out to personal inboxes", FOLLOWERS, PERSONAL_TIMEOUT_MS);
    figures.push(...figuresOf(`${label}, no shared inboxes`, personal, FOLLOWERS, costs));
    return figures;
  } finally {
    await node.stop();
  }
}

export const fanout: Benchmark = {
  name: "fanout",
  description: `one listing to ${FOLLOWERS} followers on ${SERVERS} loopback servers, with and without shared inboxes`,
  async run(ctx) {
    await quietLogs();
    const adminUrl = await ctx.postgresUrl();
    return adminUrl ? await runDriver(ctx, "postgres", adminUrl) : await runDriver(ctx, "pglite");
  },
};
