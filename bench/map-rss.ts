// What drawing maps adds to a node's resident memory: the first maps read
// and keep the outlines (src/web/atlas.ts), later ones should add nothing.
// Measured in a fresh process with the node's V8 flags, since the figure is
// about one process's RSS; this file is that process when run directly.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { NODE_FLAGS } from "../src/node-flags.ts";
import { renderMap } from "../src/web/map.ts";
import type { Benchmark } from "./support.ts";

const TARGET_MB = 15;

interface Measured {
  before: number;
  afterFirst: number;
  afterMany: number;
}

async function measure(): Promise<Measured> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  const rss = async () => {
    await new Promise((r) => setTimeout(r, 100));
    gc();
    gc();
    return process.memoryUsage().rss / 2 ** 20;
  };
  const nc = { lat: 35.745, lon: -81.685, label: "Morganton", href: "/a" };
  const before = await rss();
  await renderMap([nc], { title: "One place in the US" });
  await renderMap([nc, { lat: 52.52, lon: 13.4, label: "Berlin", href: "/b" }, { ...nc, lat: -33.9, lon: 151.2 }], {
    title: "The world",
  });
  const afterFirst = await rss();
  for (let i = 0; i < 100; i++) await renderMap([{ ...nc, lat: 30 + i / 5 }], { title: "Another" });
  return { before, afterFirst, afterMany: await rss() };
}

const self = fileURLToPath(import.meta.url);

export const mapRss: Benchmark = {
  name: "map-rss",
  description: "RSS a process gains by drawing maps (outlines loaded once), in a fresh process with the node's flags",
  async run() {
    const { stdout } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, "--expose-gc", self]);
    const m = JSON.parse(stdout) as Measured;
    return [
      { name: "RSS added by the first maps", value: m.afterFirst - m.before, unit: "MB", target: TARGET_MB },
      { name: "RSS added by 100 more maps", value: m.afterMany - m.afterFirst, unit: "MB" },
    ];
  },
};

if (process.argv[1] === self) process.stdout.write(JSON.stringify(await measure()));
