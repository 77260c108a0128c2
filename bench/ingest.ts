// Inbound ingest on PostgreSQL: signed Create(Proposal) activities from
// other co-ops, POSTed to a node's shared inbox, until all of them are in
// its listings table.
//
// The senders are lightweight actor servers (bench/receivers.ts) that serve
// an actor document with an RSA public key; the node fetches each key and
// actor once (it caches them). Every activity is a distinct public Proposal
// addressed `to` the node's actor, which the node accepts without following
// (src/federation/inbox/listing.ts). All requests are signed before the
// clock starts (draft-cavage HTTP signatures, as signRequest makes them),
// then POSTed with a fixed number in flight.
//
// Reported: activities per second processed (all N in the table) and,
// separately, the HTTP accept rate (all N answered 202: signature checked
// and queued); run with the queue's default concurrency and with 32.

import { Agent, request as httpRequest } from "node:http";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { count } from "drizzle-orm";
import { listings } from "../src/db/schema.ts";
import { FEP0837_CONTEXT } from "../test/support/fixtures.ts";
import type { TestNode } from "../test/support/launch.ts";
import {
  cpuMs,
  databaseSources,
  launchBenchNode,
  quietLogs,
  type Receivers,
  startReceivers,
  until,
} from "./receivers.ts";
import { type BenchContext, type Benchmark, type Figure, sleep } from "./support.ts";

const ACTIVITIES = Number(process.env.BENCH_INGEST_ACTIVITIES ?? 3000);
const SENDERS = 4;
const IN_FLIGHT = 32;
const TARGET_PER_SECOND = 1000;
const DEFAULT_CONCURRENCY = 16; // src/db/queue.ts
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

interface Sender {
  origin: string;
  actor: string;
  keyId: URL;
  privateKey: CryptoKey;
}

async function pem(publicKey: CryptoKey): Promise<string> {
  const spki = Buffer.from(await crypto.subtle.exportKey("spki", publicKey)).toString("base64");
  return `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/** One actor per receiving server, with its key pair; the servers answer GETs of the actor document. */
async function startSenders(receivers: Receivers): Promise<Sender[]> {
  const senders: Sender[] = [];
  for (let i = 0; i < receivers.ports.length; i++) {
    const origin = receivers.origin(i);
    const actor = `${origin}/coops/sender${i}`;
    const { privateKey, publicKey } = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const keyId = new URL(`${actor}#main-key`);
    receivers.serve(actor, {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: actor,
      type: "Organization",
      preferredUsername: `sender${i}`,
      name: `Sending co-op ${i}`,
      inbox: `${actor}/inbox`,
      outbox: `${actor}/outbox`,
      followers: `${actor}/followers`,
      endpoints: { sharedInbox: `${origin}/inbox` },
      publicKey: { id: keyId.href, owner: actor, publicKeyPem: await pem(publicKey) },
    });
    senders.push({ origin, actor, keyId, privateKey });
  }
  return senders;
}

function createActivity(sender: Sender, nodeActor: string, n: number) {
  const iri = `${sender.origin}/listings/ingest-${n}`;
  return {
    "@context": FEP0837_CONTEXT,
    id: `${iri}#create`,
    type: "Create",
    actor: sender.actor,
    to: [nodeActor],
    cc: [PUBLIC],
    object: {
      id: iri,
      type: "Proposal",
      attributedTo: sender.actor,
      name: `Ingested twill ${n}`,
      content: `<p>Organic cotton twill, lot ${n}.</p>`,
      purpose: "offer",
      publishes: {
        type: "Intent",
        action: "transfer",
        resourceConformsTo: `${sender.origin}/categories/textile/fabric/woven`,
        availableQuantity: { type: "om2:Measure", hasUnit: "MTR", hasNumericalValue: String(100 + (n % 900)) },
      },
      published: "2026-11-01T00:00:00Z",
      to: [PUBLIC],
      cc: [nodeActor],
    },
  };
}

interface SignedPost {
  headers: Record<string, string>;
  body: string;
}

/** Signs `total` activities for `node` (numbered from `from`), spread over the senders. */
async function presign(node: TestNode, senders: Sender[], from: number, total: number): Promise<SignedPost[]> {
  const inbox = `${node.origin}/inbox`;
  const posts: SignedPost[] = [];
  const batch = 200;
  for (let start = 0; start < total; start += batch) {
    const signed = await Promise.all(
      Array.from({ length: Math.min(batch, total - start) }, async (_, k) => {
        const n = from + start + k;
        const sender = senders[n % senders.length]!;
        const body = JSON.stringify(createActivity(sender, node.actorUrl, n));
        const request = new Request(inbox, {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body,
        });
        const signedRequest = await signRequest(request, sender.privateKey, sender.keyId);
        return { headers: Object.fromEntries(signedRequest.headers), body };
      }),
    );
    posts.push(...signed);
  }
  return posts;
}

/** POSTs all `posts` to the node's shared inbox, `inFlight` at a time; returns status counts. */
async function postAll(node: TestNode, posts: SignedPost[], inFlight: number): Promise<Map<number, number>> {
  const url = new URL(`${node.origin}/inbox`);
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const statuses = new Map<number, number>();
  let next = 0;
  const post = (p: SignedPost) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: p.headers, agent },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(p.body);
    });
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < posts.length) {
          const status = await post(posts[next++]!);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return statuses;
}

const storedCount = async (node: TestNode) => Number((await node.db.select({ n: count() }).from(listings))[0]!.n);

async function runConcurrency(
  ctx: BenchContext,
  adminUrl: string,
  senders: Sender[],
  concurrency: number,
): Promise<Figure[]> {
  const [source] = await databaseSources(ctx, "postgres", 1, adminUrl);
  const node = await launchBenchNode(ctx, { database: source!, queue: { concurrency } });
  try {
    // Warm-up: one activity per sender, so keys and actors are fetched and cached.
    const warm = await presign(node, senders, 1_000_000, senders.length * 2);
    await postAll(node, warm, 4);
    await until(async () => (await storedCount(node)) >= warm.length, "the warm-up listings", {
      intervalMs: 20,
      timeoutMs: 30_000,
    });
    const posts = await presign(node, senders, 0, ACTIVITIES);
    const total = warm.length + ACTIVITIES;
    await sleep(100);

    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let accepted = Number.NaN;
    const posting = postAll(node, posts, IN_FLIGHT).then((statuses) => {
      accepted = performance.now() - start;
      return statuses;
    });
    const stored = await until(async () => (await storedCount(node)) >= total, `${ACTIVITIES} stored listings`, {
      intervalMs: 20,
      timeoutMs: 110_000,
    });
    const statuses = await posting;
    const processed = stored - start;
    const cpu = cpuMs(cpu0);
    const accepted202 = statuses.get(202) ?? 0;
    const other = [...statuses.entries()].filter(([s]) => s !== 202).map(([s, n]) => `${n}× ${s}`);
    const label = `PostgreSQL, queue concurrency ${concurrency}`;
    return [
      {
        name: `${label}: processed (stored) per second`,
        value: Math.round((ACTIVITIES / processed) * 1000),
        unit: "count",
        note: `${ACTIVITIES} Create(Proposal) from ${senders.length} senders in ${Math.round(processed)} ms; aim ≥ ${TARGET_PER_SECOND}/s`,
      },
      {
        name: `${label}: HTTP accepted (202) per second`,
        value: Math.round((ACTIVITIES / accepted) * 1000),
        unit: "count",
        part: true,
        note: `${IN_FLIGHT} in flight; all answered in ${Math.round(accepted)} ms${other.length > 0 ? `; not 202: ${other.join(", ")}` : ""}`,
      },
      { name: `${label}: answered 202`, value: accepted202, unit: "count", part: true },
      {
        name: `${label}: process CPU per activity`,
        value: cpu / ACTIVITIES,
        unit: "ms",
        part: true,
        note: "node + posting client in this process; PostgreSQL not included",
      },
    ];
  } finally {
    await node.stop();
  }
}

export const ingest: Benchmark = {
  name: "ingest",
  description: `${ACTIVITIES} signed Create(Proposal) POSTed to a node on PostgreSQL, ${IN_FLIGHT} in flight`,
  async run(ctx) {
    await quietLogs();
    const adminUrl = await ctx.postgresUrl();
    if (!adminUrl) {
      return [
        { name: "PostgreSQL: processed per second", value: Number.NaN, unit: "count", note: "skipped: no PostgreSQL" },
      ];
    }
    const senders = await startSenders(await startReceivers(ctx, SENDERS));
    return [
      ...(await runConcurrency(ctx, adminUrl, senders, DEFAULT_CONCURRENCY)),
      ...(await runConcurrency(ctx, adminUrl, senders, 32)),
    ];
  },
};
