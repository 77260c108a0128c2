// `npm run bench` runs every benchmark; `npm run bench -- follow` (or
// several names) runs only those. Prints a table, then one JSON line with
// all figures (`npm run bench | tail -n 1`). No assertions: targets are
// reported as met or not.
//
// Environment: BENCH_DATABASE_URL (PostgreSQL admin URL; default
// postgres://postgres@127.0.0.1:5432/postgres, skipped when unreachable),
// BENCH_FOLLOW_ITERATIONS (50), BENCH_COLD_START_RUNS (5), BENCH_IDLE_MS (5000),
// BENCH_PAGES_REQUESTS (50), BENCH_PAGES_ORDERS (1000). The soak test runs
// only when named: `BENCH_SOAK_MINUTES=60 npm run bench -- soak` (bench/soak.ts).

import { cpus, loadavg, totalmem } from "node:os";
import { coldStart } from "./cold-start.ts";
import { fanout } from "./fanout.ts";
import { follow } from "./follow.ts";
import { idleRss } from "./idle-rss.ts";
import { ingest } from "./ingest.ts";
import { listingLatency } from "./listing-latency.ts";
import { mapRss } from "./map-rss.ts";
import { orders } from "./orders.ts";
import { pages } from "./pages.ts";
import { relayFanout } from "./relay-fanout.ts";
import { search } from "./search.ts";
import { soak } from "./soak.ts";
import { BenchContext, type Benchmark, type Figure } from "./support.ts";

const BENCHMARKS: Benchmark[] = [
  coldStart,
  idleRss,
  follow,
  listingLatency,
  fanout,
  ingest,
  orders,
  relayFanout,
  search,
  mapRss,
  pages,
];

/** Run only when named: the soak test takes an hour (`npm run bench -- soak`). */
const ON_REQUEST: Benchmark[] = [soak];
const ALL = [...BENCHMARKS, ...ON_REQUEST];

interface Row extends Figure {
  benchmark: string;
}

function format(value: number, unit: Figure["unit"]): string {
  if (Number.isNaN(value)) return "—";
  if (unit === "count") return String(value);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

/** Progress on stderr; never throws (a benchmark may have closed stderr). */
function say(message: string): void {
  try {
    if (process.stderr.writable) process.stderr.write(`${message}\n`);
  } catch {}
}

const round = (value: number) => Math.round(value * 10) / 10;

function metOf(row: Figure): boolean | null {
  if (row.target === undefined || Number.isNaN(row.value)) return null;
  return row.value <= row.target;
}

function printTable(rows: Row[]): void {
  const table = rows.map((r) => {
    const met = metOf(r);
    return [
      r.benchmark,
      r.part ? `  ${r.name}` : r.name,
      format(r.value, r.unit),
      r.target === undefined ? "" : `< ${format(r.target, r.unit)}`,
      met === null ? "" : met ? "yes" : "NO",
      r.note ?? "",
    ];
  });
  const header = ["benchmark", "figure", "value", "target", "met", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const cells of table) console.log(line(cells));
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length > 0) {
    say(`Unknown benchmark ${unknown.join(", ")}; choose from ${ALL.map((b) => b.name).join(", ")}`);
    return 2;
  }
  const selected = names.length > 0 ? ALL.filter((b) => names.includes(b.name)) : BENCHMARKS;

  const ctx = new BenchContext();
  let current: BenchContext | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(`\n${signal}: cleaning up`);
    void (async () => {
      await current?.close();
      await ctx.close();
    })().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const loadAtStart = loadavg()[0]!;
  const rows: Row[] = [];
  const failures: Record<string, string> = {};
  const started = performance.now();
  try {
    for (const benchmark of selected) {
      say(`▶ ${benchmark.name}: ${benchmark.description}`);
      const t0 = performance.now();
      // Its nodes, folders and databases go away before the next benchmark starts.
      current = ctx.scope();
      try {
        const figures = await benchmark.run(current);
        rows.push(...figures.map((f) => ({ benchmark: benchmark.name, ...f })));
        say(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        failures[benchmark.name] = (error as Error).stack ?? String(error);
        say(`  FAILED: ${(error as Error).stack ?? error}`);
      } finally {
        await current.close();
        current = undefined;
      }
      if (interrupted) break;
    }
  } finally {
    await ctx.close();
  }

  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    // Other work on the machine skews every figure; the 1-minute load average says how much there was.
    loadAverage: { start: round(loadAtStart), end: round(loadavg()[0]!) },
  };
  console.log();
  console.log(
    `Weft bench, ${new Date().toISOString().slice(0, 10)}, ${machine.cpus} × ${machine.cpu}, Node ${machine.node}, ` +
      `load average ${machine.loadAverage.start} → ${machine.loadAverage.end}`,
  );
  if (Math.max(loadAtStart, loadavg()[0]!) > machine.cpus / 2) {
    console.log("Warning: the machine was busy with other work; the timings are not representative.");
  }
  console.log();
  printTable(rows);
  console.log();
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      machine,
      durationMs: Math.round(performance.now() - started),
      figures: Object.fromEntries(
        rows.map((r) => [
          `${r.benchmark}/${r.name}`,
          {
            value: Number.isNaN(r.value) ? null : round(r.value),
            unit: r.unit,
            ...(r.target === undefined ? {} : { target: r.target, met: metOf(r) }),
          },
        ]),
      ),
      failures,
    }),
  );
  return Object.keys(failures).length > 0 ? 1 : 0;
}

process.exitCode = await main();
