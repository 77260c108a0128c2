// Workspace pages as shipped (issue 10's bar: "server time p95 under 50 ms
// for every page with 10,000 listings and 1,000 orders on PGlite; at most
// 50 KB of compressed script on any page"). A node started as `npm start`
// does, on a data folder seeded by bench/pages-seed.ts; an owner invited
// through the API and set up through the set-up form over HTTP; then each
// page fetched sequentially from outside, timed to its last byte. A page
// that answers 404 is a section not built yet on this branch: reported as
// such (no value), not as a failure.
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { createToken } from "../src/auth/tokens.ts";
import { openDatabase, rowsOf } from "../src/db/client.ts";
import { secretPath } from "../src/secret.ts";
import {
  FOLLOWED,
  LOCAL_LISTINGS,
  ORDERS,
  OUR_REGION,
  PARTNERS,
  partnerIri,
  REMOTE_LISTINGS,
  seedWorkspace,
} from "./pages-seed.ts";
import { type Benchmark, type Figure, freePort, percentile, startSubprocessNode } from "./support.ts";

const REQUESTS = Number(process.env.BENCH_PAGES_REQUESTS ?? 50);
const WARMUP = 5;
const TARGET_P95_MS = 50;
const TARGET_SCRIPT_KB = 50;
/** The first start makes the database; on a busy machine (load 30 seen) that alone passed the usual 30 s. */
const START_TIMEOUT_MS = 180_000;

interface Page {
  label: string;
  path: string;
}

interface Client {
  origin: string;
  cookie: string;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const at = pair!.indexOf("=");
    cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
  }
  return cookies;
}

/**
 * Invites an owner as `weft user add` does (an admin token signed with the
 * data folder's secret, as `weft token create` makes it), then completes
 * the set-up form like a browser: GET for the form token and its cookie,
 * POST, keep the session cookie.
 */
async function signedInOwner(origin: string, dataDir: string): Promise<Client> {
  const secret = (await readFile(secretPath(dataDir), "utf8")).trim();
  const token = await createToken(secret, {
    issuer: origin,
    scopes: ["admin"],
    expiresInSeconds: 3600,
    subject: "bench",
  });
  const invited = await fetch(`${origin}/api/v1/people`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ email: "owner@bench.example", role: "owner" }),
  });
  const invitation = (await invited.json()) as { setupUrl?: string };
  if (invited.status !== 201 || !invitation.setupUrl) {
    throw new Error(`invitation refused (${invited.status}): ${JSON.stringify(invitation)}`);
  }
  const form = await fetch(invitation.setupUrl);
  const page = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  const formCookie = [...cookiesOf(form)].map(([k, v]) => `${k}=${v}`).join("; ");
  if (form.status !== 200 || !csrf) throw new Error(`set-up page ${form.status} without a form token`);
  const password = "correct horse battery staple";
  const done = await fetch(invitation.setupUrl, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: formCookie, origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, name: "Bench Owner", password, confirm: password }),
  });
  const session = cookiesOf(done).get("weft_session");
  if (done.status !== 303 || !session) throw new Error(`set-up form answered ${done.status} without a session`);
  return { origin, cookie: `weft_session=${session}` };
}

/** What the seeded data offers to open: one of our listings, a partner's offer, a followed partner. */
async function landmarks(dataDir: string) {
  const handle = await openDatabase({ kind: "pglite", dataDir });
  try {
    const one = async (query: ReturnType<typeof sql>) => {
      const [row] = rowsOf<{ v: string }>(await handle.db.execute(query));
      if (!row) throw new Error("the seeded data lacks a page to open");
      return row.v;
    };
    return {
      ownListingId: await one(
        sql`SELECT id::text AS v FROM listings WHERE local AND kind = 'offer' ORDER BY iri LIMIT 1`,
      ),
      partnerOfferIri: await one(
        sql`SELECT iri AS v FROM listings WHERE author_iri = ${partnerIri(0)} AND kind = 'offer' AND status = 'active' ORDER BY iri LIMIT 1`,
      ),
      partnerId: await one(
        sql`SELECT f.id::text AS v FROM following f JOIN remote_actors a ON a.id = f.actor_id WHERE a.iri = ${partnerIri(0)}`,
      ),
    };
  } finally {
    await handle.close();
  }
}

function pagesToMeasure(marks: Awaited<ReturnType<typeof landmarks>>, longHistoryOrderId: string): Page[] {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const near = `${OUR_REGION[1]},${OUR_REGION[2]}`;
  const search = (query: Record<string, string>) => `/app/search?${new URLSearchParams(query)}`;
  return [
    { label: "public profile /", path: "/" },
    { label: "home /app", path: "/app" },
    { label: "listings", path: "/app/listings" },
    { label: "one of our listings", path: `/app/listings/${marks.ownListingId}` },
    { label: "new listing form", path: "/app/listings/new" },
    { label: "orders (all)", path: "/app/orders" },
    { label: "orders, accepted", path: "/app/orders?state=accepted" },
    { label: "orders, received and new", path: "/app/orders?role=seller&state=sent" },
    { label: "an order with a long history", path: `/app/orders/${longHistoryOrderId}` },
    {
      label: "order form from a listing",
      path: `/app/orders/new?${new URLSearchParams({ listing: marks.partnerOfferIri })}`,
    },
    { label: "partners", path: "/app/partners" },
    { label: "one partner", path: `/app/partners/${marks.partnerId}` },
    { label: "search: words", path: search({ q: "organic cotton" }) },
    { label: "search: category + country", path: search({ category: "textile/fabric/knit", region: "US" }) },
    { label: "search: capacity near us", path: search({ kind: "capacity", near, radiusKm: "200" }) },
    {
      label: "search: words + region + near + window",
      path: search({ q: "jersey", region: "US-NC", near, radiusKm: "300", from: day(14), until: day(60) }),
    },
    { label: "matches", path: "/app/matches" },
    { label: "hubs", path: "/app/hubs" },
    { label: "settings: people", path: "/app/settings/people" },
    { label: "settings: profile", path: "/app/settings/profile" },
  ];
}

async function get(client: Client, path: string): Promise<{ status: number; body: Buffer; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${client.origin}${path}`, { headers: { cookie: client.cookie }, redirect: "manual" });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, body, ms: performance.now() - started };
}

/** The gzip size of every script the page references (`<script src>`), in bytes. */
async function scriptBytes(client: Client, page: string): Promise<{ bytes: number; count: number }> {
  const sources = new Set([...page.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!));
  let bytes = 0;
  for (const src of sources) {
    const url = new URL(src.replaceAll("&amp;", "&"), `${client.origin}/`);
    if (url.origin !== client.origin) throw new Error(`a page loads a script from elsewhere: ${url.href}`);
    const script = await get(client, `${url.pathname}${url.search}`);
    if (script.status !== 200) throw new Error(`script ${url.pathname} answered ${script.status}`);
    bytes += gzipSync(script.body).length;
  }
  return { bytes, count: sources.size };
}

async function measurePage(client: Client, page: Page): Promise<Figure[]> {
  const first = await get(client, page.path);
  if (first.status === 404) {
    return [{ name: page.label, value: Number.NaN, unit: "ms", note: `not built yet (404): ${page.path}` }];
  }
  if (first.status !== 200) {
    const where = first.status === 303 ? " (signed out?)" : "";
    return [
      { name: page.label, value: Number.NaN, unit: "ms", note: `error: HTTP ${first.status}${where}: ${page.path}` },
    ];
  }
  const text = first.body.toString("utf8");
  const scripts = await scriptBytes(client, text);
  for (let i = 1; i < WARMUP; i++) await get(client, page.path);
  const loadBefore = loadavg()[0]!;
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const { status, ms } = await get(client, page.path);
    if (status !== 200) throw new Error(`${page.path} answered ${status} on request ${i + 1}`);
    times.push(ms);
  }
  const load = `load ${loadBefore.toFixed(1)}→${loadavg()[0]!.toFixed(1)}`;
  return [
    { name: `${page.label}: p50`, value: percentile(times, 50), unit: "ms", note: page.path },
    {
      name: `${page.label}: p95`,
      value: percentile(times, 95),
      unit: "ms",
      target: TARGET_P95_MS,
      note: `${REQUESTS} GETs, max ${Math.max(...times).toFixed(0)} ms, ${load}`,
      part: true,
    },
    {
      name: `${page.label}: HTML gzip`,
      value: kb(gzipSync(first.body).length),
      unit: "KB",
      note: `${kb(first.body.length)} KB uncompressed`,
      part: true,
    },
    {
      name: `${page.label}: scripts gzip`,
      value: kb(scripts.bytes),
      unit: "KB",
      target: TARGET_SCRIPT_KB,
      note: `${scripts.count} script${scripts.count === 1 ? "" : "s"}`,
      part: true,
    },
  ];
}

export const pages: Benchmark = {
  name: "pages",
  description: `workspace pages over HTTP, ${REQUESTS} GETs each, 10,000 listings and 1,000 orders on PGlite`,
  async run(ctx) {
    // One port for both starts: the origin is in every IRI the seed writes.
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const dataDir = await ctx.tempDir("weft-bench-pages-");
    const first = await startSubprocessNode(ctx, { dataDir, port, timeoutMs: START_TIMEOUT_MS });
    await first.stop();

    const seedStarted = performance.now();
    const handle = await openDatabase({ kind: "pglite", dataDir });
    let seeded: Awaited<ReturnType<typeof seedWorkspace>>;
    try {
      seeded = await seedWorkspace(handle.db, origin, `${origin}/coops/coop`);
    } finally {
      await handle.close();
    }
    const seedMs = performance.now() - seedStarted;
    const marks = await landmarks(dataDir);

    const node = await startSubprocessNode(ctx, { dataDir, port, timeoutMs: START_TIMEOUT_MS });
    ctx.defer(() => node.stop());
    const client = await signedInOwner(origin, dataDir);
    const figures: Figure[] = [
      {
        name: "seeding the data",
        value: seedMs,
        unit: "ms",
        note: `${LOCAL_LISTINGS + REMOTE_LISTINGS} listings (${LOCAL_LISTINGS} ours), ${PARTNERS} partners (${FOLLOWED} followed), ${ORDERS} orders through recordOrderEvent`,
      },
    ];
    for (const page of pagesToMeasure(marks, seeded.longHistoryOrderId)) {
      process.stderr.write(`  ${page.label}\n`);
      figures.push(...(await measurePage(client, page)));
    }
    return figures;
  },
};
