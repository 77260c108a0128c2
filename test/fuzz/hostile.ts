// Generated hostile input for the fuzz tests (test/fuzz/): values drawn from
// a JSON schema (the OpenAPI document's), mutations of a valid value (wrong
// types, missing and extra fields, huge numbers, deep nesting, unicode), a
// fingerprint of what a node stored, and a guard that keeps generated URLs
// off the real internet. Bounded: WEFT_FUZZ_RUNS sets how many cases a
// property runs.
import { configure, type LogRecord } from "@logtape/logtape";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { eventually, settled, type TestNode } from "../support/network.ts";

/** How many generated cases each property runs (WEFT_FUZZ_RUNS), and its seed (WEFT_FUZZ_SEED, else random). */
export function fuzzRuns(fallback: number): { numRuns: number; seed: number } {
  const numRuns = Number(process.env.WEFT_FUZZ_RUNS ?? fallback);
  const seed = process.env.WEFT_FUZZ_SEED ? Number(process.env.WEFT_FUZZ_SEED) : Date.now() ^ (Math.random() * 2 ** 31);
  return { numRuns, seed };
}

type Schema = Record<string, any>;

/** Strings that broke parsers elsewhere: NUL, lone surrogates, bidi overrides, huge and numeric-looking text. */
const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "\uD800",
  "\uDFFF\uD800",
  "\u202Eevil",
  "💥".repeat(300),
  "ǅ́̈̀",
  "1e999",
  "-0",
  "NaN",
  "Infinity",
  "0x10",
  "9".repeat(400),
  "0.".padEnd(300, "1"),
  "-99999999999999999999999.999999",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "'; drop table listings; --",
  "../../etc/passwd",
  "%00",
  "a".repeat(10_000),
];

const NASTY_NUMBERS = [0, -0, -1, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63), 0.1 + 0.2];

/** Values nested `depth` levels of arrays and objects. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Any JSON value a hostile client might send in place of another. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, ...NASTY_STRINGS, ...NASTY_NUMBERS),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 10, max: 2000 }).map((d) => nested(d, "deep")),
);

/** Resolves a local $ref (#/components/schemas/X) against `doc`. */
function resolve(doc: Schema, schema: Schema): Schema {
  let s = schema;
  while (s?.$ref)
    s = s.$ref
      .split("/")
      .slice(1)
      .reduce((o: any, k: string) => o?.[k], doc);
  return s ?? {};
}

/**
 * Values valid for `schema` as far as its keywords go (types, enums,
 * patterns, lengths, bounds); `urls` are the URLs a `uri` may be (loopback
 * only, so nothing leaves the machine).
 */
export function fromSchema(doc: Schema, schema: Schema, urls: string[], depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (depth > 8) return fc.constant(null);
  if ("const" in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const choices = s.anyOf ?? s.oneOf;
  if (choices) return fc.oneof(...choices.map((c: Schema) => fromSchema(doc, c, urls, depth + 1)));
  if (s.allOf) return fromSchema(doc, Object.assign({}, ...s.allOf.map((c: Schema) => resolve(doc, c))), urls, depth);
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ["object"] : [];
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  if (s.nullable) types.push("null");
  return fc.oneof(...types.map((t) => ofType(doc, s, t, urls, depth)));
}

function ofType(doc: Schema, s: Schema, type: string, urls: string[], depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000);
      return type === "integer"
        ? fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) })
        : fc.double({ min, max: Math.max(min, max), noNaN: true });
    }
    case "string":
      return stringFor(s, urls);
    case "array":
      return fc.array(fromSchema(doc, s.items ?? {}, urls, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 4, (s.minItems ?? 0) + 4),
      });
    case "object": {
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries<Schema>(s.properties ?? {}))
        props[key] = fromSchema(doc, sub, urls, depth + 1);
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k: string) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: Schema, urls: string[]): fc.Arbitrary<string> {
  if (s.format === "uuid") return fc.uuid();
  if (s.format === "uri" || s.format === "url") return fc.constantFrom(...urls);
  if (s.format === "date") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === "email") return fc.emailAddress();
  if (s.pattern) {
    const max = s.maxLength ?? 200;
    return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= max && x.length >= (s.minLength ?? 0));
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
}

/** Every path (list of keys) to a value inside `value`, the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (value && typeof value === "object" && prefix.length < 12) {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

type Mutation =
  | { kind: "replace"; at: number; with: unknown }
  | { kind: "drop"; at: number }
  | { kind: "extra"; at: number; key: string; with: unknown }
  | { kind: "wrap"; at: number; depth: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), with: hostileValue }),
  fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("extra" as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "id", "actor", "type")),
    with: hostileValue,
  }),
  fc.record({ kind: fc.constant("wrap" as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 200 }) }),
);

/** `value` with `mutations` applied, each at a path picked among the value's current paths. */
export function mutate(value: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(value);
  for (const m of mutations) {
    const paths = pathsOf(root);
    const path = paths[m.at % paths.length]!;
    const parent = path.slice(0, -1).reduce((o: any, k) => o?.[k], root) as any;
    const key = path[path.length - 1];
    const current = path.reduce((o: any, k) => o?.[k], root);
    const set = (v: unknown) => {
      if (key === undefined) root = v;
      else parent[key] = v;
    };
    if (m.kind === "replace") set(m.with);
    else if (m.kind === "wrap") set(nested(m.depth, current));
    else if (m.kind === "drop") {
      if (key === undefined) root = undefined;
      else if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (current && typeof current === "object" && !Array.isArray(current)) {
      Object.defineProperty(current, m.key, { value: m.with, enumerable: true, writable: true, configurable: true });
    } else set({ [m.key]: m.with });
  }
  return root;
}

/** Values derived from `base`: as it is, lightly mutated, heavily mutated, or replaced outright. */
export function hostileFrom<T>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: base },
    {
      weight: 4,
      arbitrary: fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([v, m]) => mutate(v, m)),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(base, fc.array(mutation, { minLength: 3, maxLength: 8 })).map(([v, m]) => mutate(v, m)),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

// Fedify's cache and the queue's own bookkeeping change whether or not a
// request was accepted; everything else a request can touch is fingerprinted.
// Queued messages are left out too: Fedify retries a failed delivery by
// queueing a new message later, whatever the request in flight; what a
// change causes to be sent is in outbox_activities (the transactional outbox).
const UNFINGERPRINTED = new Set(["kv_entries", "queue_workers", "queue_messages", "__drizzle_migrations"]);

/** One string that changes whenever a row the node stores (outside caches) is added, removed or changed. */
export async function fingerprint(node: TestNode): Promise<string> {
  const db = node.db as any;
  const rows = (r: any) => (Array.isArray(r) ? r : r.rows);
  const tables: string[] = rows(
    await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`),
  )
    .map((r: { table_name: string }) => r.table_name)
    .filter((t: string) => !UNFINGERPRINTED.has(t));
  const parts = tables.map(
    (t) =>
      `select '${t}' as t, count(*)::text as n, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as h from "${t}" x`,
  );
  const result = rows(await db.execute(sql.raw(parts.join(" union all "))));
  return result.map((r: { t: string; n: string; h: string }) => `${r.t}:${r.n}:${r.h}`).join("\n");
}

/**
 * Waits until `nodes` have nothing left to do: no background task (a crawl)
 * and idle queues, so that a delivery between them lands before a
 * fingerprint is taken, not during the next request.
 */
export async function quiet(...nodes: TestNode[]): Promise<void> {
  await eventually(() => nodes.every((n) => n.node.deps.services.background.size === 0));
  await settled(...nodes);
}

/** The tables whose lines differ between two fingerprints, for a readable failure. */
export function changedTables(before: string, after: string): string[] {
  const a = new Set(before.split("\n"));
  return after
    .split("\n")
    .filter((line) => !a.has(line))
    .map((line) => line.split(":")[0]!);
}

/**
 * Keeps every request a node makes on loopback: a generated handle or URL
 * naming a real host would otherwise reach the internet (or wait on DNS).
 * Anything else fails as an unreachable host does.
 */
export function keepFetchOnLoopback(): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      return Promise.reject(new TypeError(`fetch failed (the fuzz tests stay on loopback: ${url.host})`));
    }
    return original(input, init);
  }) as typeof fetch;
  return () => {
    globalThis.fetch = original;
  };
}

/**
 * Errors Weft's own code logs (an unhandled API error, a failed inbox
 * listener), collected while the fuzz runs. Fedify's are left out: it logs
 * every refused signature as an error, and refusing is what hostile input
 * should get.
 */
export async function captureErrors(): Promise<LogRecord[]> {
  const errors: LogRecord[] = [];
  const sink = (record: LogRecord) => {
    if (record.level === "error" || record.level === "fatal") errors.push(record);
  };
  await configure({
    reset: true,
    sinks: { capture: sink },
    loggers: [
      { category: ["weft"], lowestLevel: "error", sinks: ["capture"] },
      { category: ["logtape", "meta"], lowestLevel: "fatal", sinks: ["capture"] },
    ],
  });
  return errors;
}

/** A log record as one line, for a failure message. */
export function logLine(record: LogRecord): string {
  return `${record.category.join("·")}: ${record.message.map((m) => (typeof m === "string" ? m : String(m))).join("")}`;
}
