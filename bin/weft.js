#!/usr/bin/env node
// The `weft` command (package.json "bin"). Node 24 runs the TypeScript source
// directly; the commands live in src/cli.
// A namespace import: older Nodes lack enableCompileCache, and a named import would fail before the check below.
import * as nodeModule from "node:module";

// The source is TypeScript, run as is: an older Node would fail on it with a
// long stack, or load it and do nothing (see src/node-version.ts).
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 24 || (major === 24 && minor < 2)) {
  process.stderr.write(`Weft needs Node 24.2 or newer; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}

// Cache compiled code between runs: module loading is most of a command's time.
nodeModule.enableCompileCache?.();
const { run } = await import("../src/cli/main.ts");

process.exitCode = await run(process.argv.slice(2));
