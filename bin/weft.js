#!/usr/bin/env node
// The `weft` command (package.json "bin"). Node 24 runs the TypeScript source
// directly; the commands live in src/cli.
import { enableCompileCache } from "node:module";

// Cache compiled code between runs: module loading is most of a command's time.
enableCompileCache?.();
const { run } = await import("../src/cli/main.ts");

process.exitCode = await run(process.argv.slice(2));
