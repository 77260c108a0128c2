#!/usr/bin/env node
// The `weft` command (package.json "bin"). Node 24 runs the TypeScript source
// directly; the commands live in src/cli.
import { run } from "../src/cli/main.ts";

process.exitCode = await run(process.argv.slice(2));
