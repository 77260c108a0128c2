// The V8 flags a node runs with: package.json's "start" script passes them to
// `node`, and `weft start` starts the node in a process of its own with them
// (V8 reads them only when a process starts). They trade a little speed for
// memory, so that a node on the embedded database stays under 200 MB when idle
// (docs/performance.md has the figures).
export const NODE_FLAGS = [
  // PGlite's PostgreSQL is about 9 MB of WebAssembly. By default V8 recompiles
  // its busy functions with its optimising compiler, which briefly used ~900 MB
  // and left ~100 MB resident; the baseline compiler alone keeps that to a few
  // MB, and the short queries a node makes took less CPU in bench/, not more
  // (they no longer wait on those compiles).
  "--liftoff-only",
  // The young generation otherwise grows to tens of MB and stays that big;
  // a Weft node's requests allocate little, so a small one costs only more
  // frequent (sub-millisecond) scavenges.
  "--max-semi-space-size=2",
  // One V8 helper thread (for concurrent garbage collection and compilation)
  // instead of four: each thread keeps its own malloc arena of freed memory.
  "--v8-pool-size=1",
  // Not --optimize-for-size: it saved another ~10 MB idle but more than
  // doubled the CPU an order costs under sustained load (bench/orders.ts).
];
