// Search at scale: generated listings (1,000,000 on PostgreSQL, 100,000 on
// PGlite), then the query the issue names — category + region + radius +
// availability window + words — run through the node's own searchListings()
// with varied parameters. Reports p50/p95/p99 and the index sizes.
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { type Database, openDatabase, rowsOf } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";
import { searchListings } from "../src/domain/search.ts";
import { type Benchmark, benchDatabaseName, type Figure, percentile } from "./support.ts";

const POSTGRES_ROWS = Number(process.env.BENCH_SEARCH_ROWS ?? 1_000_000);
const PGLITE_ROWS = Number(process.env.BENCH_SEARCH_PGLITE_ROWS ?? 100_000);
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 200);
const TARGET_P95_MS = 50;

// A small world: regions with a centre, categories in a tree, words for titles.
const REGIONS: [string, number, number][] = [
  ["US-NC", 35.6, -79.8],
  ["US-SC", 33.9, -80.9],
  ["US-GA", 32.7, -83.4],
  ["US-VA", 37.5, -78.8],
  ["US-TN", 35.9, -86.4],
  ["US-CA", 36.8, -119.4],
  ["US-NY", 42.9, -75.5],
  ["US-TX", 31.5, -99.3],
  ["PT-13", 41.15, -8.61],
  ["PT-03", 41.55, -8.42],
  ["ES-CT", 41.6, 1.5],
  ["FR-ARA", 45.4, 4.4],
  ["IT-25", 45.6, 9.8],
  ["MX-PUE", 19.0, -98.2],
  ["GT", 15.5, -90.2],
  ["IN-TN", 11.1, 78.6],
];
const CATEGORIES = [
  "apparel/cut-and-sew",
  "apparel/cut-and-sew/knit",
  "apparel/cut-and-sew/woven",
  "apparel/pattern-making",
  "apparel/sampling",
  "textile/fabric/knit",
  "textile/fabric/woven",
  "textile/yarn",
  "textile/dyeing",
  "textile/printing",
  "textile/finishing",
  "trims/labels",
  "trims/buttons",
  "design/technical",
  "logistics/warehousing",
];
const WORDS = [
  "organic",
  "cotton",
  "jersey",
  "rib",
  "fleece",
  "twill",
  "denim",
  "linen",
  "wool",
  "merino",
  "hemp",
  "recycled",
  "tops",
  "shirts",
  "dresses",
  "hoodies",
  "socks",
  "small",
  "batch",
  "capacity",
  "sewing",
  "knitting",
  "dyeing",
  "natural",
  "indigo",
  "screen",
  "print",
  "label",
  "woven",
  "pattern",
  "sample",
  "line",
  "weekly",
  "february",
];

async function generate(db: Database, rows: number): Promise<void> {
  const regions = sql.raw(`(ARRAY[${REGIONS.map(([r]) => `'${r}'`).join(",")}])`);
  const lats = sql.raw(`(ARRAY[${REGIONS.map(([, lat]) => lat).join(",")}]::float8[])`);
  const lons = sql.raw(`(ARRAY[${REGIONS.map(([, , lon]) => lon).join(",")}]::float8[])`);
  const categories = sql.raw(`(ARRAY[${CATEGORIES.map((c) => `'${c}'`).join(",")}])`);
  const words = sql.raw(`(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])`);
  // Numbers are written into the SQL (they are ours): as parameters they
  // reach PostgreSQL untyped and generate_series cannot pick an overload.
  const n = (value: number) => sql.raw(String(value));
  const batch = 100_000;
  for (let start = 0; start < rows; start += batch) {
    const end = Math.min(rows, start + batch);
    await db.execute(sql`
      INSERT INTO listings (iri, author_iri, local, source, kind, status, title, description_html, category,
        quantity_amount, quantity_unit, rate_amount, rate_unit, rate_per, available_from, available_until,
        region, latitude, longitude, visibility, published, updated)
      SELECT 'https://n' || (g % 5000) || '.example/listings/' || g,
             'https://n' || (g % 5000) || '.example/coops/coop', false, 'crawl',
             (ARRAY['offer','capacity','need'])[1 + g % 3], 'active',
             ${words}[1 + (g * 7) % ${n(WORDS.length)}] || ' ' || ${words}[1 + (g * 13) % ${n(WORDS.length)}] || ' ' ||
               ${words}[1 + (g * 31) % ${n(WORDS.length)}],
             '<p>' || ${words}[1 + (g * 17) % ${n(WORDS.length)}] || ' ' || ${words}[1 + (g * 23) % ${n(WORDS.length)}] || '</p>',
             ${categories}[1 + (g * 11) % ${n(CATEGORIES.length)}],
             CASE WHEN g % 3 = 1 THEN NULL ELSE (100 + g % 5000)::numeric END,
             CASE WHEN g % 3 = 1 THEN NULL ELSE 'H87' END,
             CASE WHEN g % 3 = 1 THEN (100 + g % 3000)::numeric END,
             CASE WHEN g % 3 = 1 THEN 'H87' END,
             CASE WHEN g % 3 = 1 THEN 'P1W' END,
             timestamptz '2027-01-01' + ((g * 37) % 300) * interval '1 day',
             timestamptz '2027-01-01' + ((g * 37) % 300 + 14 + g % 60) * interval '1 day',
             ${regions}[1 + r.i], ${lats}[1 + r.i] + ((g * 7919) % 2000 - 1000) / 1000.0,
             ${lons}[1 + r.i] + ((g * 104729) % 2000 - 1000) / 1000.0,
             'public', now() - (g % 1000) * interval '1 hour', now() - (g % 1000) * interval '1 hour'
        FROM generate_series(${n(start)}::bigint, ${n(end - 1)}::bigint) AS g,
             LATERAL (SELECT (g * 3) % ${n(REGIONS.length)} AS i) AS r`);
  }
  // A table this size in service has been vacuumed (autovacuum runs after
  // inserts): hint bits set, statistics current. Unvacuumed, the first
  // queries would set hint bits on every page they read, and that is what
  // they would measure.
  await db.execute(sql`VACUUM ANALYZE listings`);
}

function randomQuery(i: number) {
  const [region, lat, lon] = REGIONS[i % 8]!; // the US ones: a co-op searching its wider region
  const month = 1 + (i % 10);
  const from = new Date(Date.UTC(2027, month, 1));
  return {
    q: `${WORDS[(i * 5) % WORDS.length]}`,
    category: CATEGORIES[i % 5 === 0 ? 0 : (i * 3) % CATEGORIES.length],
    region: i % 2 === 0 ? region.slice(0, 2) : region,
    near: { lat, lon },
    radiusKm: 150 + (i % 4) * 100,
    from,
    until: new Date(from.getTime() + 28 * 86_400_000),
    sort: "relevance" as const,
    includeExpired: true,
    offset: 0,
    limit: 20,
  };
}

async function measure(db: Database, label: string): Promise<Figure[]> {
  for (let i = 0; i < 10; i++) await searchListings(db, randomQuery(i)); // warm up
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < QUERIES; i++) {
    const started = performance.now();
    const result = await searchListings(db, randomQuery(i + 10));
    times.push(performance.now() - started);
    hits += result.hits.length;
  }
  return [
    { name: `${label}: combined query p50`, value: percentile(times, 50), unit: "ms" },
    { name: `${label}: combined query p95`, value: percentile(times, 95), unit: "ms", target: TARGET_P95_MS },
    { name: `${label}: combined query p99`, value: percentile(times, 99), unit: "ms" },
    { name: `${label}: mean hits per query`, value: Math.round(hits / QUERIES), unit: "count" },
  ];
}

async function indexSizes(db: Database, label: string): Promise<Figure[]> {
  const rows = rowsOf<{ name: string; bytes: string }>(
    await db.execute(sql`
      SELECT indexrelname AS name, pg_relation_size(indexrelid)::text AS bytes
        FROM pg_stat_user_indexes WHERE relname = 'listings' ORDER BY indexrelname`),
  );
  const table = rowsOf<{ bytes: string }>(await db.execute(sql`SELECT pg_table_size('listings')::text AS bytes`));
  return [
    { name: `${label}: table size`, value: Math.round(Number(table[0]?.bytes ?? 0) / 1e6), unit: "MB" },
    ...rows.map((r) => ({
      name: `${label}: index ${r.name}`,
      value: Math.round(Number(r.bytes) / 1e5) / 10,
      unit: "MB" as const,
      part: true,
    })),
  ];
}

export const search: Benchmark = {
  name: "search",
  description: `combined search on ${POSTGRES_ROWS.toLocaleString("en")} listings (PostgreSQL) and ${PGLITE_ROWS.toLocaleString("en")} (PGlite)`,
  async run(ctx) {
    const figures: Figure[] = [];
    const adminUrl = await ctx.postgresUrl();
    if (adminUrl) {
      const url = await ctx.createPostgresDatabase(adminUrl, benchDatabaseName("search"));
      const handle = await openDatabase({ kind: "postgres", url });
      ctx.defer(() => handle.close());
      await migrateDatabase(handle);
      const started = performance.now();
      await generate(handle.db, POSTGRES_ROWS);
      figures.push({ name: "PostgreSQL: generating the listings", value: performance.now() - started, unit: "ms" });
      figures.push(...(await measure(handle.db, "PostgreSQL")), ...(await indexSizes(handle.db, "PostgreSQL")));
    } else {
      figures.push({ name: "PostgreSQL", value: Number.NaN, unit: "ms", note: "no server answered; skipped" });
    }
    const pglite = await PGlite.create();
    const handle = await openDatabase({ kind: "pglite-instance", client: pglite });
    ctx.defer(() => handle.close());
    await migrateDatabase(handle);
    await generate(handle.db, PGLITE_ROWS);
    figures.push(...(await measure(handle.db, "PGlite")), ...(await indexSizes(handle.db, "PGlite")));
    return figures;
  },
};
