// weft block / unblock / allow / disallow / domains against a real node.
import { beforeAll, describe, expect, it } from "vitest";
import { startNode, type TestNode } from "../support/network.ts";
import { envFor, weft } from "./run.ts";

describe("weft block, allow and domains", () => {
  let node: TestNode;
  let env: Record<string, string>;
  beforeAll(async () => {
    node = await startNode();
    env = await envFor(node);
  });

  it("blocks, lists and unblocks a server", async () => {
    const blocked = await weft(["block", "https://Spam.Example/coops/x", "--note", "sent junk"], env);
    expect(blocked.stderr).toBe("");
    expect(blocked.stdout).toContain("Blocked spam.example:");
    expect((await weft(["allow", "partner.example:8443"], env)).code).toBe(0);
    const listed = await weft(["domains"], env);
    expect(listed.stdout).toContain("Open: every server may talk to this node but those blocked.");
    expect(listed.stdout).toMatch(/ALLOW\s+partner\.example:8443/);
    expect(listed.stdout).toMatch(/BLOCK\s+spam\.example\s+\S+\s+sent junk/);
    expect((await weft(["unblock", "spam.example"], env)).stdout).toBe("Unblocked spam.example.\n");
    expect((await weft(["disallow", "partner.example:8443"], env)).code).toBe(0);
    expect(JSON.parse((await weft(["domains", "--json"], env)).stdout).items).toEqual([]);
  });

  it("says in one line what is wrong, and changes nothing", async () => {
    const bad = await weft(["block", "not a host!"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("server's name");
    const missing = await weft(["unblock", "nobody.example"], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("nobody.example is not blocked on this node");
    expect((await node.api("GET", "/domains")).body.items).toEqual([]);
  });
});
