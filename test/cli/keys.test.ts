// weft keys rotate: through the running node, prints when the old keys retire;
// the actor then publishes the new key first and the old one after it.
import { describe, expect, it } from "vitest";
import { startNode } from "../support/network.ts";
import { envFor, lines, weft } from "./run.ts";

describe("weft keys rotate", () => {
  it("rotates the co-op's keys through the node and says until when the old ones verify", async () => {
    const node = await startNode();
    const env = { ...(await envFor(node)), WEFT_KEY_GRACE: "36h" };
    const before = await (await fetch(node.actorUrl, { headers: { accept: "application/activity+json" } })).json();

    const rotated = await weft(["keys", "rotate", "--json"], env);
    expect(rotated).toMatchObject({ code: 0, stderr: "" });
    const answer = JSON.parse(rotated.stdout);
    // The grace period is the node's (7 days by default), not the CLI's environment.
    expect(Date.parse(answer.retiringUntil) - Date.parse(answer.rotatedAt)).toBe(7 * 86400_000);
    expect(answer.announcedTo).toEqual({ followers: 0, others: 0 });

    const after = await (await fetch(node.actorUrl, { headers: { accept: "application/activity+json" } })).json();
    expect(after.publicKey.map((k: { id: string }) => k.id)).toEqual([
      `${node.actorUrl}#main-key`,
      `${node.actorUrl}#key-3`,
    ]);
    expect(after.publicKey[1].publicKeyPem).toBe(before.publicKey.publicKeyPem);

    const text = await weft(["keys", "rotate"], env);
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(lines(text.stdout)).toEqual([
      "New keys sign from now on.",
      expect.stringMatching(
        /^The old keys stay published, and still verify, until \w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT\.$/,
      ),
      "An Update of the co-op went to 0 followers and 0 other co-ops we follow or trade with.",
    ]);

    const bad = await weft(["keys", "turn"], env);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual(['weft: unknown command "keys turn" (usage: weft keys rotate [--json])']);
  });
});
