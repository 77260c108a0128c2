// Idle memory: RSS of a node subprocess, started as `npm start` starts it
// (src/node-flags.ts), that answered a few requests and then sat idle for a
// while: V8 gives memory back a few seconds into an idle spell, so the figure
// is read after IDLE_MS, with the one 5 s after the requests beside it.
// PGlite on an existing folder and on the first start in a new one (which
// creates the database), and PostgreSQL when a server answers (the
// difference is what the embedded database costs).

import { readFile } from "node:fs/promises";
import { createToken } from "../src/auth/tokens.ts";
import { secretPath } from "../src/secret.ts";
import {
  type BenchContext,
  type Benchmark,
  benchDatabaseName,
  type Figure,
  memoryOf,
  type SubprocessNode,
  sleep,
  startSubprocessNode,
} from "./support.ts";

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 20_000);
const SOON_MS = 5_000;
const TARGET_MB = 200;

/** What a user does first: discovery, the actor, and an API call. */
async function touch(node: SubprocessNode, dataDir: string): Promise<void> {
  const secret = (await readFile(secretPath(dataDir), "utf8")).trim();
  const token = await createToken(secret, { issuer: node.origin, scopes: ["admin"], expiresInSeconds: 600 });
  const host = new URL(node.origin).host;
  const requests: [string, Record<string, string>][] = [
    ["/.well-known/nodeinfo", {}],
    ["/nodeinfo/2.1", {}],
    [`/.well-known/webfinger?resource=acct:coop@${host}`, {}],
    ["/coops/coop", { accept: "application/activity+json" }],
    ["/api/v1/following", { authorization: `Bearer ${token}` }],
    ["/api/v1/followers", { authorization: `Bearer ${token}` }],
  ];
  for (const [path, headers] of requests) {
    const response = await fetch(new URL(path, node.origin), { headers });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  }
}

async function measure(
  ctx: BenchContext,
  options: { dataDir: string; databaseUrl?: string },
): Promise<{ rssMb: number; peakMb: number; startMb: number; soonMb: number }> {
  const node = await startSubprocessNode(ctx, options);
  try {
    const start = await memoryOf(node.pid);
    await touch(node, options.dataDir);
    await sleep(SOON_MS);
    const soon = await memoryOf(node.pid);
    await sleep(IDLE_MS - SOON_MS);
    const idle = await memoryOf(node.pid);
    return { ...idle, startMb: start.rssMb, soonMb: soon.rssMb };
  } finally {
    await node.stop();
  }
}

export const idleRss: Benchmark = {
  name: "idle-rss",
  description: `VmRSS of a node subprocess idle for ${IDLE_MS / 1000} s after a few requests`,
  async run(ctx) {
    const prepared = await ctx.preparedDataDir();
    const pglite = await measure(ctx, { dataDir: prepared.dataDir });
    const figures: Figure[] = [
      { name: "PGlite: idle RSS", value: pglite.rssMb, unit: "MB", target: TARGET_MB },
      { name: "PGlite: RSS when first ready", value: pglite.startMb, unit: "MB" },
      { name: `PGlite: RSS ${SOON_MS / 1000} s after the requests`, value: pglite.soonMb, unit: "MB" },
      { name: "PGlite: peak RSS (VmHWM)", value: pglite.peakMb, unit: "MB" },
    ];
    const first = await measure(ctx, { dataDir: await ctx.tempDir("weft-bench-first-") });
    figures.push(
      { name: "PGlite, first start in a new folder: idle RSS", value: first.rssMb, unit: "MB", target: TARGET_MB },
      { name: "PGlite, first start in a new folder: peak RSS (VmHWM)", value: first.peakMb, unit: "MB" },
    );
    const adminUrl = await ctx.postgresUrl();
    if (adminUrl) {
      const url = await ctx.createPostgresDatabase(adminUrl, benchDatabaseName("rss"));
      const dataDir = await ctx.tempDir("weft-bench-pg-");
      // First start migrates the empty database; measure the second.
      await (await startSubprocessNode(ctx, { dataDir, databaseUrl: url })).stop();
      const pg = await measure(ctx, { dataDir, databaseUrl: url });
      figures.push(
        { name: "PostgreSQL: idle RSS", value: pg.rssMb, unit: "MB", target: TARGET_MB },
        { name: `PostgreSQL: RSS ${SOON_MS / 1000} s after the requests`, value: pg.soonMb, unit: "MB" },
        { name: "PostgreSQL: peak RSS (VmHWM)", value: pg.peakMb, unit: "MB" },
      );
    } else {
      figures.push({ name: "PostgreSQL: idle RSS", value: Number.NaN, unit: "MB", note: "skipped: no PostgreSQL" });
    }
    return figures;
  },
};
