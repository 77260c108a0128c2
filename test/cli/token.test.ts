import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { verifyToken } from "../../src/auth/tokens.ts";
import { startNode } from "../support/network.ts";
import { envFor, lines, tempDir, weft } from "./run.ts";

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

  it("works without a database: it creates the secret file once and reuses it", async () => {
    const dataDir = await tempDir();
    const origin = "http://127.0.0.1:9";
    const env = { WEFT_DATA_DIR: dataDir, WEFT_ORIGIN: origin };

    const first = await weft(["token", "create", "--scope", "write", "--expires", "12h"], env);
    expect(first.code).toBe(0);
    expect(lines(first.stderr)).toEqual([`weft: created a new API secret in ${join(dataDir, "api-secret")}`]);
    expect(await readdir(dataDir)).toEqual(["api-secret"]);
    const secret = (await readFile(join(dataDir, "api-secret"), "utf8")).trim();

    // A database it could not reach makes no difference: token create never opens one.
    const second = await weft(["token", "create", "--scope", "read,write"], {
      ...env,
      DATABASE_URL: "postgres://nobody@127.0.0.1:9/nothing",
    });
    expect(second).toMatchObject({ code: 0, stderr: "" });
    expect(await readdir(dataDir)).toEqual(["api-secret"]);

    const firstClaims = await verifyToken(secret, origin, first.stdout.trim());
    expect([...firstClaims!.scopes]).toEqual(["write"]);
    const secondClaims = await verifyToken(secret, origin, second.stdout.trim());
    expect([...secondClaims!.scopes].sort()).toEqual(["read", "write"]);
  });
});
