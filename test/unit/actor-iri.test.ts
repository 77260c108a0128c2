// The co-op's actor IRI made without a Fedify context is the one Fedify serves.
import { createFederation, MemoryKvStore } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { ACTOR_PATH, actorIri } from "../../src/domain/actor.ts";

describe("actorIri", () => {
  it("is Fedify's actor URI for the handle", () => {
    const federation = createFederation<void>({ kv: new MemoryKvStore() });
    federation.setActorDispatcher(ACTOR_PATH, () => null);
    for (const origin of ["https://knit.example", "http://127.0.0.1:8123"]) {
      const ctx = federation.createContext(new URL(origin), undefined);
      for (const handle of ["coop", "relay", "knit.works"]) {
        expect(actorIri({ origin, handle })).toBe(ctx.getActorUri(handle).href);
      }
    }
  });
});
