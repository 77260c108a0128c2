// Backups: the destroy-and-restore story on the project's driver (back up a
// trading node while it runs, lose it, restore, and it carries on with its
// partner), refusal of a non-empty target, and scheduled backups' retention.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BackupSchedule } from "../../src/actions/backups.ts";
import type { DatabaseSource } from "../../src/db/client.ts";
import { RestoreError, readBackup, restoreBackup } from "../../src/db/restore.ts";
import { createEmptyPostgresDatabase, testDriver } from "../support/databases.ts";
import { jersey } from "../support/fixtures.ts";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { follows, inStateOnBoth, openMarket, orderBody, orderOn } from "../support/orders.ts";

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "weft-backup-"));
  folders.push(dir);
  return dir;
}

async function backupOf(node: TestNode): Promise<Uint8Array> {
  const response = await fetch(`${node.origin}/api/v1/backup`, {
    headers: { authorization: `Bearer ${await node.token()}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/gzip");
  return new Uint8Array(await response.arrayBuffer());
}

async function actorKeys(node: TestNode) {
  const actor = await (await node.get("/coops/coop", { accept: "application/activity+json" })).json();
  return { publicKey: actor.publicKey.publicKeyPem, assertionMethod: actor.assertionMethod };
}

/** An empty target on the driver the tests run on, and how to start a node on it. */
async function emptyTarget() {
  if (testDriver() === "postgres") {
    const empty = await createEmptyPostgresDatabase();
    return {
      target: { kind: "postgres" as const, url: empty.url, dataDir: await folder() },
      source: { kind: "postgres", url: empty.url } satisfies DatabaseSource,
      cleanup: empty.drop,
    };
  }
  const dataDir = join(await folder(), "data");
  return {
    target: { kind: "pglite" as const, dataDir },
    source: { kind: "pglite", dataDir } satisfies DatabaseSource,
    cleanup: async () => {},
  };
}

describe("backing up and restoring a node", () => {
  it("a trading node, backed up while it runs, lost and restored, carries on with its partner", async () => {
    const seller = await startNode({ persistent: true });
    const m = await openMarket([seller, await startNode()]);
    await follows(m.seller, m.buyer);
    const placed = (await m.buyer.api("POST", "/orders", orderBody(m))).body;
    await inStateOnBoth(m, placed.iri, "sent");
    const keys = await actorKeys(m.seller);
    const listings = (await m.seller.api("GET", "/listings")).body.items.map((l: any) => l.iri).sort();

    const bytes = await backupOf(m.seller);
    const contents = readBackup(bytes);
    expect(contents.manifest).toMatchObject({ format: "weft-backup", driver: testDriver() });
    expect(contents.tables.find((t) => t.table === "actor_keys")?.rows).toHaveLength(2);

    // The node and its data are gone; the backup comes back in a new place, on the same port.
    await m.seller.destroy();
    const { target, source, cleanup } = await emptyTarget();
    await restoreBackup(contents, target);
    await m.seller.startOn(source, cleanup);

    expect(await actorKeys(m.seller)).toEqual(keys);
    expect((await m.seller.api("GET", "/listings")).body.items.map((l: any) => l.iri).sort()).toEqual(listings);
    const followers = (await m.seller.api("GET", "/followers")).body.items;
    expect(followers.map((f: any) => [f.actor.iri, f.state])).toEqual([[m.buyer.actorUrl, "accepted"]]);
    const following = (await m.seller.api("GET", "/following")).body.items;
    expect(following.map((f: any) => [f.actor.iri, f.state])).toEqual([[m.buyer.actorUrl, "accepted"]]);

    // The open order continues to completion.
    const atSeller = await orderOn(m.seller, placed.iri);
    expect(atSeller.state).toBe("sent");
    expect((await m.seller.api("POST", `/orders/${atSeller.id}/accept`, {})).status).toBe(200);
    await inStateOnBoth(m, placed.iri, "accepted");
    const lines = [
      { id: "1", quantity: "200" },
      { id: "2", quantity: "30" },
    ];
    expect((await m.seller.api("POST", `/orders/${atSeller.id}/ship`, { lines })).status).toBe(200);
    const atBuyer = await orderOn(m.buyer, placed.iri);
    await eventually(
      async () => (await m.buyer.api("POST", `/orders/${atBuyer.id}/receive`, { lines })).status === 200,
    );
    await inStateOnBoth(m, placed.iri, "completed");

    // A new listing from the restored node reaches its follower, signed with the same keys.
    const fresh = (await m.seller.api("POST", "/listings", { ...jersey, title: "After the restore" })).body;
    await eventually(async () =>
      (await m.buyer.api("GET", "/timeline")).body.items.some((l: any) => l.iri === fresh.iri),
    );
  });

  it("refuses to restore into a target that is not empty, changing nothing", async () => {
    const node = await startNode();
    const contents = readBackup(await backupOf(node));
    const dataDir = await folder();
    await writeFile(join(dataDir, "notes.txt"), "keep me");
    await expect(restoreBackup(contents, { kind: "pglite", dataDir })).rejects.toThrow(
      new RestoreError(`${dataDir} is not empty; restore into a new or empty folder`),
    );
    expect(await readdir(dataDir)).toEqual(["notes.txt"]);
    if (testDriver() === "postgres" && node.node.database.url) {
      // The running node's own database holds its tables.
      await expect(
        restoreBackup(contents, { kind: "postgres", url: node.node.database.url, dataDir: await folder() }),
      ).rejects.toThrow("the database is not empty; restore into a newly created database");
    }
    expect(() => readBackup(new Uint8Array([1, 2, 3]))).toThrow("not a Weft backup");
  });

  it("scheduled backups keep the newest N and report a failure in the node's status", async () => {
    const dir = await folder();
    const node = await startNode({ env: { WEFT_BACKUP_DIR: dir, WEFT_BACKUP_KEEP: "2", WEFT_BACKUP_EVERY: "1d" } });
    // The first is made at start, as there is none in the folder yet.
    const first = await eventually(async () => (await node.api("GET", "/node")).body.backups.last);
    expect(await readdir(dir)).toEqual([first.file]);
    const schedule = node.node.deps.backups as BackupSchedule;
    await schedule.runOnce();
    await schedule.runOnce();
    const kept = await readdir(dir);
    expect(kept).toHaveLength(2);
    expect(kept).not.toContain(first.file);
    expect((await node.api("GET", "/node")).body.backups).toMatchObject({
      dir,
      every: "1d",
      keep: 2,
      last: { file: kept.sort().at(-1) },
      failure: null,
    });
    // Each kept file is a complete backup.
    expect(readBackup(await readFile(join(dir, kept[0] as string))).manifest.format).toBe("weft-backup");

    // The folder becomes unusable: the failure shows in the status until a backup succeeds.
    await rm(dir, { recursive: true });
    await writeFile(dir, "not a folder");
    await schedule.runOnce();
    const failed = (await node.api("GET", "/node")).body.backups;
    expect(failed.failure.message).toMatch(/EEXIST|ENOTDIR/);
  });
});
