// weft backup and weft restore as a co-op's staff run them: the backup from
// the running node to a file, the restore into a new folder, and one line
// when the target is not empty or the file exists.
import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startNode, type TestNode } from "../support/network.ts";
import { envFor, lines, tempDir, weft } from "./run.ts";

describe("weft backup and weft restore", () => {
  let node: TestNode;
  let env: Record<string, string>;
  let file: string;
  beforeAll(async () => {
    node = await startNode();
    env = await envFor(node);
    file = join(await tempDir(), "coop.backup.gz");
  });

  it("saves a backup of the running node, readable by its owner only, and never overwrites one", async () => {
    const saved = await weft(["backup", "--out", file], env);
    expect(saved.stderr).toBe("");
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(new RegExp(`^Saved a backup of the node \\(\\d+ bytes\\) to ${file}\\n$`));
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const again = await weft(["backup", "--out", file], env);
    expect(again.code).toBe(1);
    expect(lines(again.stderr)).toEqual([`weft: ${file} already exists; choose another name`]);

    const status = await weft(["status"], env);
    expect(status.stdout).toMatch(/Backups:\s+not scheduled \(set WEFT_BACKUP_DIR/);
  });

  it("restores into a new folder, and refuses a folder that is not empty with one line", async () => {
    const busy = await tempDir();
    await writeFile(join(busy, "notes.txt"), "keep me");
    const refused = await weft(["restore", file, "--data-dir", busy], env);
    expect(refused.code).toBe(1);
    expect(lines(refused.stderr)).toEqual([`weft: ${busy} is not empty; restore into a new or empty folder`]);
    expect(await readdir(busy)).toEqual(["notes.txt"]);

    const fresh = join(await tempDir(), "data");
    const restored = await weft(["restore", file, "--data-dir", fresh], env);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Restored the backup of .* into .*; the node used WEFT_SECRET/);
    expect((await readdir(fresh)).sort()).toEqual(["db"]);

    const missing = await weft(["restore", join(fresh, "nothing.gz"), "--data-dir", await tempDir()], env);
    expect(missing.code).toBe(1);
    expect(lines(missing.stderr)).toEqual([`weft: cannot read ${join(fresh, "nothing.gz")}: no such file`]);
  });
});
