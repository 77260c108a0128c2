// MemoryCachedKvStore: entries under the cached prefixes are read from the
// store once and then from memory; writes go through; others pass through.
import "../../src/temporal.ts";
import { type KvKey, type KvStoreSetOptions, MemoryKvStore } from "@fedify/fedify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryCachedKvStore } from "../../src/db/kv.ts";

/** A store that counts the calls that reach it. */
class CountingStore extends MemoryKvStore {
  gets = 0;
  sets = 0;
  override get<T = unknown>(key: KvKey): Promise<T | undefined> {
    this.gets++;
    return super.get<T>(key);
  }
  override set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    this.sets++;
    return super.set(key, value, options);
  }
}

const KEY: KvKey = ["_fedify", "publicKey", "https://dye.example/coops/coop#main-key"];
const OTHER: KvKey = ["_fedify", "activityIdempotence", "https://dye.example/activities/1"];

function cached(options: { maxAgeMs?: number } = {}) {
  const store = new CountingStore();
  return { store, kv: new MemoryCachedKvStore(store, [["_fedify", "publicKey"]], options) };
}

describe("MemoryCachedKvStore", () => {
  // Ages are checked with a clock the test moves, so a slow machine cannot
  // make an entry expire before the test looked at it.
  let clock = 0;
  const useTestClock = () => {
    clock = Date.now();
    vi.spyOn(Date, "now").mockImplementation(() => clock);
    vi.spyOn(Temporal.Now, "instant").mockImplementation(() => Temporal.Instant.fromEpochMilliseconds(clock));
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reads a cached entry from the store once, and other entries every time", async () => {
    const { store, kv } = cached();
    await store.set(KEY, { pem: "a" });
    await store.set(OTHER, true);
    for (let i = 0; i < 3; i++) {
      expect(await kv.get(KEY)).toEqual({ pem: "a" });
      expect(await kv.get(OTHER)).toBe(true);
    }
    expect(store.gets).toBe(1 + 3);
  });

  it("writes through, skips writing a value that is already there, and forgets on delete", async () => {
    const { store, kv } = cached();
    await kv.set(KEY, "rfc9421");
    await kv.set(KEY, "rfc9421");
    expect(store.sets).toBe(1);
    await kv.set(KEY, "draft-cavage-http-signatures-12");
    expect(store.sets).toBe(2);
    expect(await store.get(KEY)).toBe("draft-cavage-http-signatures-12");
    expect(await kv.get(KEY)).toBe("draft-cavage-http-signatures-12");
    await kv.delete(KEY);
    expect(await kv.get(KEY)).toBeUndefined();
    await kv.set(OTHER, 1);
    await kv.set(OTHER, 1);
    expect(store.sets).toBe(4);
  });

  it("sees another process's change once the entry is older than maxAgeMs", async () => {
    useTestClock();
    const { store, kv } = cached({ maxAgeMs: 30 });
    await store.set(KEY, "a");
    expect(await kv.get(KEY)).toBe("a");
    await store.set(KEY, "b"); // as another process would
    expect(await kv.get(KEY)).toBe("a");
    clock += 29;
    expect(await kv.get(KEY)).toBe("a");
    clock += 2;
    expect(await kv.get(KEY)).toBe("b");
  });

  it("writes a value it has only read (the stored one may expire), then skips writing it again", async () => {
    const { store, kv } = cached();
    await store.set(KEY, "rfc9421", { ttl: Temporal.Duration.from({ minutes: 1 }) });
    expect(await kv.get(KEY)).toBe("rfc9421");
    await kv.set(KEY, "rfc9421");
    await kv.set(KEY, "rfc9421");
    expect(store.sets).toBe(2);
  });

  it("does not keep an entry past its time to live", async () => {
    useTestClock();
    const { kv } = cached();
    await kv.set(KEY, "short-lived", { ttl: Temporal.Duration.from({ milliseconds: 30 }) });
    expect(await kv.get(KEY)).toBe("short-lived");
    clock += 31;
    expect(await kv.get(KEY)).toBeUndefined();
  });

  it("forgets an entry that a compare-and-swap changed", async () => {
    const { store, kv } = cached();
    await kv.set(KEY, 1);
    expect(await kv.cas?.(KEY, 1, 2)).toBe(true);
    expect(await kv.get(KEY)).toBe(2);
    expect(await store.get(KEY)).toBe(2);
  });

  it("treats a failing store as a miss for cached entries, and still fails for others", async () => {
    const store = new CountingStore();
    const kv = new MemoryCachedKvStore(store, [["_fedify", "publicKey"]]);
    const down = () => Promise.reject(new Error("write CONNECTION_ENDED"));
    store.get = down;
    store.set = down;
    // Fedify awaits a digest before it awaits a key lookup: a rejected
    // lookup in between would be an unhandled rejection.
    expect(await kv.get(KEY)).toBeUndefined();
    await kv.set(KEY, { pem: "b" });
    expect(await kv.get(KEY)).toEqual({ pem: "b" });
    await expect(kv.get(OTHER)).rejects.toThrow("CONNECTION_ENDED");
    await expect(kv.set(OTHER, true)).rejects.toThrow("CONNECTION_ENDED");
  });
});
