// The layer rules of docs/architecture.md, read from the imports of every
// file under src/: who may import whom, and that only domain/ and db/ touch
// SQL. A new import across a layer fails here, not in review.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

/** Folder → the folders and files (relative to src/) its files may import; its own folder always. */
const ALLOWED: Record<string, string[]> = {
  db: [],
  domain: ["db"],
  // Fedify's KV store and queue live on our database; federation/ never runs SQL itself.
  federation: ["domain", "http", "db/client.ts", "db/kv.ts", "db/queue.ts"],
  actions: ["domain", "federation", "auth"],
  api: ["actions", "domain", "http", "auth"],
  web: ["actions", "domain", "http"],
  // The CLI talks to the node through its API; it mints tokens with auth/tokens.ts.
  cli: ["api", "auth"],
  http: [],
  // API tokens: made by the CLI and the use cases, checked by the API.
  auth: [],
};

/** Top-level modules every layer may use. */
const SHARED = [
  "config.ts",
  "logging.ts",
  "services.ts",
  "version.ts",
  "secret.ts",
  "node-flags.ts",
  "node-version.ts",
  "temporal.ts",
  "background.ts",
  "fault.ts",
];

/** Modules only domain/ and db/ may import. */
const SQL_MODULES = ["drizzle-orm", "db/schema.ts"];

interface Import {
  file: string;
  /** A path relative to src/ for our own modules, else the package name. */
  target: string;
  own: boolean;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2]) as string;
    const target = spec.startsWith(".")
      ? relative(SRC, resolve(dirname(join(SRC, file)), spec))
          .split("\\")
          .join("/")
      : spec.startsWith("node:")
        ? spec
        : (spec.startsWith("@") ? spec.split("/").slice(0, 2) : spec.split("/").slice(0, 1)).join("/");
    found.push({ file, target, own: spec.startsWith(".") });
  }
  return found;
}

function layerOf(path: string): string | null {
  return path.includes("/") ? (path.split("/")[0] as string) : null;
}

function isUnder(target: string, allowed: string): boolean {
  return target === allowed || target.startsWith(`${allowed}/`);
}

/** Every broken rule among `imports`, one sentence each. */
function violations(imports: Import[]): string[] {
  const broken: string[] = [];
  for (const { file, target, own } of imports) {
    const layer = layerOf(file);
    const sqlAllowed = layer === "domain" || layer === "db";
    if (!sqlAllowed && SQL_MODULES.some((m) => isUnder(target, m))) {
      broken.push(`${file} imports ${target}: only domain/ and db/ run SQL`);
      continue;
    }
    if (layer === "domain" && (target === "hono" || target.startsWith("@hono/") || target.startsWith("@fedify/"))) {
      broken.push(`${file} imports ${target}: domain/ knows neither HTTP nor ActivityPub`);
      continue;
    }
    if (!own) continue;
    if (target === "main.ts") broken.push(`${file} imports main.ts, the entry point`);
    if (layer === null || !(layer in ALLOWED)) continue; // the composition roots: node.ts, app.ts, main.ts
    const targetLayer = layerOf(target);
    if (targetLayer === null) {
      if (!SHARED.includes(target)) broken.push(`${file} imports ${target}: only the composition roots may`);
      continue;
    }
    if (targetLayer === layer) continue;
    if (!(ALLOWED[layer] ?? []).some((a) => isUnder(target, a))) {
      broken.push(`${file} imports ${target}: ${layer}/ may not import ${targetLayer}/`);
    }
  }
  return broken;
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [relative(SRC, path).split("\\").join("/")] : [];
  });
}

describe("layer rules", () => {
  const all = sourceFiles().flatMap((file) => importsOf(file, readFileSync(join(SRC, file), "utf8")));

  it("reads the imports of every file", () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all).toContainEqual({ file: "node.ts", target: "app.ts", own: true });
  });

  it("holds for every file under src/", () => {
    expect(violations(all)).toEqual([]);
  });

  it("catches each kind of violation", () => {
    const planted = (file: string, text: string) => violations(importsOf(file, text));
    expect(planted("domain/x.ts", 'import { Hono } from "hono";')).toHaveLength(1);
    expect(planted("domain/x.ts", 'import type { Context } from "@fedify/fedify";')).toHaveLength(1);
    expect(planted("api/x.ts", 'import { eq } from "drizzle-orm";')).toHaveLength(1);
    expect(planted("federation/x.ts", 'import { listings } from "../db/schema.ts";')).toHaveLength(1);
    expect(planted("actions/x.ts", 'import type { ListingRow } from "../db/schema.ts";')).toHaveLength(1);
    expect(planted("federation/inbox/x.ts", 'import { problem } from "../../api/problem.ts";')).toHaveLength(1);
    expect(planted("web/x.ts", 'import { PUBLIC } from "../federation/listing-vocab.ts";')).toHaveLength(1);
    expect(planted("web/x.ts", 'const m = await import("../db/client.ts");')).toHaveLength(1);
    expect(planted("cli/x.ts", 'import { ORDER_STATES } from "../domain/orders/machine.ts";')).toHaveLength(1);
    expect(planted("cli/x.ts", 'import type {\n  Database,\n} from "../db/client.ts";')).toHaveLength(1);
    expect(planted("api/x.ts", 'export { x } from "../federation/x.ts";')).toHaveLength(1);
    expect(planted("domain/x.ts", 'import { createNode } from "../node.ts";')).toHaveLength(1);
    // Allowed ones.
    expect(planted("domain/x.ts", 'import { listings } from "../db/schema.ts";')).toEqual([]);
    expect(planted("actions/x.ts", 'import { sendFollow } from "../federation/outbox.ts";')).toEqual([]);
    expect(planted("api/x.ts", 'import { follow } from "../actions/follows.ts";\nimport { z } from "zod";')).toEqual(
      [],
    );
    expect(planted("node.ts", 'import { migrateDatabase } from "./db/migrate.ts";')).toEqual([]);
  });
});
