import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { startNode } from "../support/network.ts";
import { closedPort, envFor, lines, tempDir, weft } from "./run.ts";

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe("weft token create", () => {
  it("prints only a token, which the node accepts with the scopes asked for", async () => {
    const node = await startNode();
    const env = await envFor(node);

    const read = await weft(["token", "create", "--scope", "read", "--name", "inventory-sync"], env);
    expect(read).toMatchObject({ code: 0, stderr: "" });
    expect(lines(read.stdout)).toHaveLength(1);
    const token = read.stdout.trim();
    expect(token).toMatch(JWT);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: node.origin, sub: "inventory-sync", scope: "read" });
    expect(claims.exp! - claims.iat!).toBe(30 * 86400);
    expect((await node.api("GET", "/node", undefined, { token })).status).toBe(200);
    expect((await node.api("PATCH", "/node", { summary: "no" }, { token })).status).toBe(403);

    const admin = await weft(["token", "create", "--scope", "admin", "--expires", "never"], env);
    expect(admin.code).toBe(0);
    const adminToken = admin.stdout.trim();
    expect(decodeJwt(adminToken).exp).toBeUndefined();
    expect((await node.api("PATCH", "/node", { summary: "Yarn" }, { token: adminToken })).status).toBe(200);
  });

  it("lists the tokens it made and revokes one, which the node then refuses", async () => {
    const node = await startNode();
    const env = await envFor(node);
    const made = await weft(["token", "create", "--scope", "write", "--name", "accounts", "--expires", "12h"], env);
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    const id = decodeJwt(token).jti as string;
    expect((await node.api("GET", "/node", undefined, { token })).status).toBe(200);

    const list = await weft(["token", "list"], env);
    expect(list).toMatchObject({ code: 0, stderr: "" });
    const row = lines(list.stdout).find((l) => l.startsWith(id));
    expect(row).toMatch(/accounts\s+write\s+\S+ \S+\s+\S+ \S+\s+\d{4}-\d\d-\d\d$/);
    expect(lines(list.stdout)[0]).toMatch(/^ID\s+NAME\s+SCOPES\s+CREATED\s+LAST USED\s+EXPIRES$/);

    const revoked = await weft(["token", "revoke", id], env);
    expect(revoked).toMatchObject({ code: 0, stderr: "" });
    expect(revoked.stdout.trim()).toBe(`Revoked token ${id}; the node refuses it from now on.`);
    expect((await node.api("GET", "/node", undefined, { token })).status).toBe(401);

    const active = await weft(["token", "list", "--json"], env);
    expect(JSON.parse(active.stdout).items.map((t: { id: string }) => t.id)).not.toContain(id);
    const all = await weft(["token", "list", "--all", "--json"], env);
    expect(JSON.parse(all.stdout).items).toContainEqual(expect.objectContaining({ id, state: "revoked" }));

    const unknown = await weft(["token", "revoke", crypto.randomUUID()], env);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual([
      expect.stringMatching(/^weft: There is no API token [0-9a-f-]+ on this node\.$/),
    ]);
  });

  it("needs the running node to make a token, and says so in one line", async () => {
    const dataDir = await tempDir();
    const env = { WEFT_DATA_DIR: dataDir, PORT: String(await closedPort()) };
    const result = await weft(["token", "create", "--scope", "write", "--expires", "12h"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^weft: no node answers at http:\/\/127\.0\.0\.1:\d+/),
    ]);
  });
});
