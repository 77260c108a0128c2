import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminToken, createSite, SLOW, startNodeProcess } from "./process.ts";

const AS_JSON = { accept: "application/activity+json" };

async function actorKeys(node: { get(path: string, headers: Record<string, string>): Promise<Response> }) {
  const response = await node.get("/coops/coop", AS_JSON);
  expect(response.status).toBe(200);
  const actor = await response.json();
  return { publicKey: actor.publicKey, assertionMethod: actor.assertionMethod };
}

describe("restarting a node on the same data", () => {
  it(
    "keeps the actor's keys, the API secret and the edited profile",
    async () => {
      // No WEFT_SECRET: the node creates its token secret in the data folder.
      const site = await createSite({ secret: false });
      const first = await startNodeProcess(site);
      const keys = await actorKeys(first);
      expect(keys.publicKey.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const multikeys = [keys.assertionMethod].flat();
      // RSA and Ed25519 (z6Mk… is an Ed25519 multikey).
      expect(multikeys.map((key) => key.publicKeyMultibase)).toContainEqual(expect.stringMatching(/^z6Mk/));

      const token = await adminToken(site);
      const secret = await readFile(join(site.dataDir, "api-secret"), "utf8");
      const patched = await first.api("PATCH", "/node", { name: "Persisted", region: "US-NC" });
      expect(patched.status).toBe(200);
      expect(patched.body.name).toBe("Persisted");

      expect(await first.stop("SIGTERM")).toEqual({ code: 0, signal: null });

      const second = await startNodeProcess(site);
      expect(await actorKeys(second)).toEqual(keys);
      expect(await readFile(join(site.dataDir, "api-secret"), "utf8")).toBe(secret);
      // A token issued before the restart is still accepted.
      const node = await fetch(`${site.origin}/api/v1/node`, { headers: { authorization: `Bearer ${token}` } });
      expect(node.status).toBe(200);
      expect(await node.json()).toMatchObject({ name: "Persisted", region: "US-NC" });
      // The actor document serves the persisted name too.
      expect((await (await second.get("/coops/coop", AS_JSON)).json()).name).toBe("Persisted");

      // SIGINT (Ctrl-C at a terminal) stops as cleanly as SIGTERM.
      expect(await second.stop("SIGINT")).toEqual({ code: 0, signal: null });
    },
    SLOW,
  );
});
