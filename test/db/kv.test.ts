import { beforeAll, describe, expect, it } from "vitest";
import { DrizzleKvStore } from "../../src/db/kv.ts";
import { useTestDatabase } from "../support/databases.ts";
import { eventually } from "../support/network.ts";

describe("DrizzleKvStore", () => {
  const database = useTestDatabase();
  let kv: DrizzleKvStore;
  beforeAll(() => {
    kv = new DrizzleKvStore(database.handle.db);
  });

  it("sets, gets, overwrites and deletes JSON values", async () => {
    expect(await kv.get(["a", "1"])).toBeUndefined();
    await kv.set(["a", "1"], { nested: [1, "two", null], flag: true });
    expect(await kv.get(["a", "1"])).toEqual({ nested: [1, "two", null], flag: true });
    await kv.set(["a", "1"], "replaced");
    expect(await kv.get(["a", "1"])).toBe("replaced");
    await kv.delete(["a", "1"]);
    expect(await kv.get(["a", "1"])).toBeUndefined();
  });

  it("keeps keys with odd characters apart", async () => {
    await kv.set(["k", "x,y"], 1);
    await kv.set(["k", "x", "y"], 2);
    await kv.set(["k", '{"q"}'], 3);
    expect(await kv.get(["k", "x,y"])).toBe(1);
    expect(await kv.get(["k", "x", "y"])).toBe(2);
    expect(await kv.get(["k", '{"q"}'])).toBe(3);
  });

  it("expires entries after their ttl", async () => {
    // The database's clock decides, so wait on the entry, not on a timer.
    await kv.set(["ttl", "long"], "stays", { ttl: Temporal.Duration.from({ hours: 1 }) });
    await kv.set(["ttl", "short"], "soon gone", { ttl: Temporal.Duration.from({ milliseconds: 100 }) });
    await eventually(async () => (await kv.get(["ttl", "short"])) === undefined);
    expect(await kv.get(["ttl", "long"])).toBe("stays");
    expect(await kv.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await kv.get(["ttl", "long"])).toBe("stays");
  });

  it("lists by key prefix, element-wise", async () => {
    await kv.set(["list", "b"], 1);
    await kv.set(["list", "b", "c"], 2);
    await kv.set(["list", "bc"], 3);
    await kv.set(["other", "b"], 4);
    const entries = [];
    for await (const entry of kv.list(["list", "b"])) entries.push(entry);
    expect(entries).toEqual([
      { key: ["list", "b"], value: 1 },
      { key: ["list", "b", "c"], value: 2 },
    ]);
    const all = [];
    for await (const entry of kv.list()) all.push(entry.key);
    expect(all).toContainEqual(["other", "b"]);
  });

  it("compare-and-swaps only when the current value matches", async () => {
    expect(await kv.cas(["cas"], undefined, { v: 1 })).toBe(true);
    expect(await kv.cas(["cas"], undefined, { v: 2 })).toBe(false);
    expect(await kv.cas(["cas"], { v: 9 }, { v: 2 })).toBe(false);
    expect(await kv.cas(["cas"], { v: 1 }, { v: 2 })).toBe(true);
    expect(await kv.get(["cas"])).toEqual({ v: 2 });
    expect(await kv.cas(["cas"], { v: 2 }, undefined)).toBe(true);
    expect(await kv.get(["cas"])).toBeUndefined();
  });

  it("lets exactly one of many concurrent swaps win", async () => {
    await kv.set(["race"], 0);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => kv.cas(["race"], 0, i + 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
