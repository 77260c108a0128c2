// Structural comparison of a spec example with what a node serves or sends.
//
// Two JSON documents have the same shape when, recursively:
// - they have the same JSON type at every position;
// - objects have the same set of keys;
// - arrays have the same length (compared element by element);
// - values of `type`, `rel` and everything under `@context` are equal;
// - IRIs (http:, https:, acct:) are equal once UUIDs are masked: the example's
//   placeholder origins are first replaced with the real ones (withOrigins),
//   so an IRI must have the same origin, path, query and fragment;
// - any other string, number or boolean only needs the same JSON type.
import { readdirSync, readFileSync } from "node:fs";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const EXAMPLES_DIR = new URL("../../spec/examples/", import.meta.url);

export function example(name: string): Json {
  return JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), "utf8")) as Json;
}

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/**
 * Replaces each placeholder origin (`https://dye.example`) with a real one,
 * and its host wherever it appears alone (`acct:coop@dye.example`).
 */
export function withOrigins<T>(value: T, origins: Record<string, string>): T {
  let text = JSON.stringify(value);
  for (const [placeholder, real] of Object.entries(origins)) {
    text = text.replaceAll(placeholder, real).replaceAll(new URL(placeholder).host, new URL(real).host);
  }
  return JSON.parse(text) as T;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

const EXACT_KEYS = new Set(["type", "rel", "@context"]);
const IRI = /^(https?|acct):/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const maskUuids = (iri: string) => iri.replace(UUID, "{uuid}");

/** Every difference in shape between `expected` (an example) and `actual`; empty when they match. */
export function shapeDifferences(expected: Json, actual: unknown, path = "$", exact = false): string[] {
  const expectedType = jsonType(expected);
  const actualType = jsonType(actual);
  if (expectedType !== actualType) return [`${path}: expected ${expectedType}, got ${actualType}`];
  if (Array.isArray(expected)) {
    const items = actual as unknown[];
    if (items.length !== expected.length) {
      return [`${path}: expected ${expected.length} items, got ${items.length}`];
    }
    return expected.flatMap((item, i) => shapeDifferences(item, items[i], `${path}[${i}]`, exact));
  }
  if (expectedType === "object") {
    const exp = expected as Record<string, Json>;
    const act = actual as Record<string, unknown>;
    const missing = Object.keys(exp)
      .filter((k) => !(k in act))
      .map((k) => `${path}: missing "${k}"`);
    const extra = Object.keys(act)
      .filter((k) => !(k in exp))
      .map((k) => `${path}: unexpected "${k}"`);
    const nested = Object.keys(exp)
      .filter((k) => k in act)
      .flatMap((k) => shapeDifferences(exp[k] as Json, act[k], `${path}.${k}`, exact || EXACT_KEYS.has(k)));
    return [...missing, ...extra, ...nested];
  }
  if (typeof expected === "string") {
    const value = actual as string;
    if (exact)
      return value === expected ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(value)}`];
    if (IRI.test(expected) && maskUuids(value) !== maskUuids(expected)) {
      return [`${path}: expected IRI ${expected}, got ${value}`];
    }
  }
  return [];
}
