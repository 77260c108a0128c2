// Relay forwarding: a hub node (WEFT_RELAY=on) passes one public listing of
// a member on to 500 other subscribed nodes. One real member node joins the
// hub over the wire (POST /api/v1/relays) and publishes; the 500 other
// members are lightweight receiving servers on loopback (bench/receivers.ts,
// 202 to any POST, nothing verified) inserted directly into the hub's
// relay_members table, each with its own shared inbox.
//
// Measured from POST /api/v1/listings on the member until all 500 forwarded
// deliveries of its Create(Proposal) have arrived (the hub forwards only
// Proposals, not the Note twin). Twice: the first (cold) and the second.

import { relayMembers } from "../src/db/schema.ts";
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
  until,
} from "./receivers.ts";
import type { BenchContext, Benchmark, Figure } from "./support.ts";

const MEMBERS = Number(process.env.BENCH_RELAY_MEMBERS ?? 500);
const TIMEOUT_MS = 60_000;

async function join(member: TestNode, hub: TestNode): Promise<void> {
  const res = await member.api("POST", "/relays", { handle: `relay@${new URL(hub.origin).host}` });
  if (res.status !== 202) throw new Error(`POST /relays answered ${res.status}: ${JSON.stringify(res.body)}`);
  await until(
    async () => (await member.api("GET", "/relays")).body.items[0]?.state === "accepted",
    "the relay's Accept",
    {
      intervalMs: 10,
    },
  );
}

interface Run {
  all: number;
  first: number;
  post: number;
  delivered: number;
  cpu: number;
  timedOut: boolean;
}

async function forwardOnce(member: TestNode, hub: TestNode, receivers: Receivers, title: string): Promise<Run> {
  await queuesEmpty(member, hub);
  receivers.reset();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const iri = await publish(member, offer(title));
  const post = performance.now() - start;
  const isCreate = (id?: string) => id?.startsWith(`${iri}#create-`) === true && !id.startsWith(`${iri}#create-note-`);
  let all = Number.NaN;
  let timedOut = false;
  try {
    all =
      (await receivers.waitForCount((d) => isCreate(d.id), MEMBERS, TIMEOUT_MS, "the forwarded deliveries")) - start;
  } catch {
    timedOut = true;
  }
  const cpu = cpuMs(cpu0);
  const first = receivers.deliveries.find((d) => isCreate(d.id));
  return {
    all,
    post,
    first: first ? first.at - start : Number.NaN,
    delivered: receivers.deliveries.filter((d) => isCreate(d.id)).length,
    cpu,
    timedOut,
  };
}

async function runDriver(ctx: BenchContext, driver: Driver, adminUrl?: string): Promise<Figure[]> {
  const receivers = await startReceivers(ctx, MEMBERS);
  const [hubDb, memberDb] = await databaseSources(ctx, driver, 2, adminUrl);
  const hub = await launchBenchNode(ctx, { database: hubDb!, handle: "hub", env: { WEFT_RELAY: "on" } });
  const member = await launchBenchNode(ctx, { database: memberDb!, handle: "member" });
  try {
    await join(member, hub);
    await hub.db.insert(relayMembers).values(
      receivers.ports.map((_, i) => {
        const origin = receivers.origin(i);
        return {
          actorIri: `${origin}/coops/member${i}`,
          inbox: `${origin}/coops/member${i}/inbox`,
          sharedInbox: `${origin}/inbox`,
          followIri: `${origin}/activities/follow-relay-${i}`,
        };
      }),
    );
    const cold = await forwardOnce(member, hub, receivers, "Relayed capacity, first");
    const warm = await forwardOnce(member, hub, receivers, "Relayed capacity, second");
    const label = `${DRIVER_LABEL[driver]}, ${MEMBERS} members`;
    const runFigures = (name: string, run: Run): Figure[] => [
      {
        name: `${label}: ${name}: publish → all forwarded`,
        value: run.all,
        unit: "ms",
        note: run.timedOut
          ? `not finished in ${TIMEOUT_MS} ms: ${run.delivered} of ${MEMBERS}`
          : `${run.delivered} deliveries of the Create(Proposal); members inserted into the hub's database`,
      },
      { name: `${label}: ${name}: POST /listings → 201`, value: run.post, unit: "ms", part: true },
      { name: `${label}: ${name}: → first forwarded delivery`, value: run.first, unit: "ms", part: true },
      {
        name: `${label}: ${name}: process CPU`,
        value: run.cpu,
        unit: "ms",
        part: true,
        note: "hub + member + receivers in this process",
      },
    ];
    return [...runFigures("second listing", warm), ...runFigures("first listing (cold)", cold)];
  } finally {
    await Promise.all([hub.stop(), member.stop()]);
  }
}

export const relayFanout: Benchmark = {
  name: "relay-fanout",
  description: `one public listing forwarded by a hub to ${MEMBERS} member servers on loopback`,
  async run(ctx) {
    await quietLogs();
    const adminUrl = await ctx.postgresUrl();
    return adminUrl ? await runDriver(ctx, "postgres", adminUrl) : await runDriver(ctx, "pglite");
  },
};
