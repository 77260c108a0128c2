// Cold start: `node src/main.ts` from spawn to the first 200 of
// GET /.well-known/nodeinfo, on a PGlite data folder that already exists
// (migrated, keys generated), and once on a new folder.

import { type Benchmark, type Figure, median, startSubprocessNode } from "./support.ts";

const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 5);
const TARGET_MS = 2_000;

export const coldStart: Benchmark = {
  name: "cold-start",
  description: `spawn → first 200 of /.well-known/nodeinfo, ${RUNS} starts on an existing PGlite folder`,
  async run(ctx) {
    const prepared = await ctx.preparedDataDir();
    const times: number[] = [];
    const readyLogs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const node = await startSubprocessNode(ctx, { dataDir: prepared.dataDir });
      times.push(node.readyMs);
      if (node.readyLogMs !== null) readyLogs.push(node.readyLogMs);
      await node.stop();
    }
    const figures: Figure[] = [
      { name: "existing folder, min", value: Math.min(...times), unit: "ms", target: TARGET_MS },
      { name: "existing folder, median", value: median(times), unit: "ms", target: TARGET_MS },
      { name: "existing folder, max", value: Math.max(...times), unit: "ms", target: TARGET_MS },
    ];
    if (readyLogs.length > 0) {
      const inNode = median(readyLogs);
      figures.push(
        {
          name: "of which createNode + listen (median)",
          part: true,
          value: inNode,
          unit: "ms",
          note: "the node's own 'ready in' log: PGlite open, migrations check, keys",
        },
        {
          name: "of which process start + module loading (median)",
          part: true,
          value: median(times) - inNode,
          unit: "ms",
          note: "spawn to the start of createNode, plus the first poll",
        },
      );
    }
    figures.push({
      name: "new folder (first start, once)",
      value: prepared.firstStartMs,
      unit: "ms",
      note: "initdb, migrations, key generation",
    });
    if (prepared.firstStartReadyLogMs !== null) {
      figures.push({
        name: "of which createNode + listen",
        value: prepared.firstStartReadyLogMs,
        unit: "ms",
        part: true,
      });
    }
    return figures;
  },
};
