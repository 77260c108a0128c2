import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/node-flags.ts";
import { createTestDatabase, testDriver } from "../support/databases.ts";
import { eventually } from "../support/network.ts";
import { closedPort, lines, tempDir, weft } from "./run.ts";

/** The argv of each child process of `pid` (Linux's /proc). */
async function commandLinesOfChildren(pid: number): Promise<string[][]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8")).split(" ").filter(Boolean);
  return Promise.all(children.map(async (child) => (await readFile(`/proc/${child}/cmdline`, "utf8")).split("\0")));
}

const BIN = fileURLToPath(new URL("../../bin/weft.js", import.meta.url));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("weft start", () => {
  it("runs a node that shares its secret file with weft token create and answers weft status", async () => {
    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}`;
    // No WEFT_SECRET: the node and the CLI meet through $WEFT_DATA_DIR/api-secret, as on a co-op's server.
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: "127.0.0.1",
      WEFT_ORIGIN: origin,
      WEFT_DATA_DIR: await tempDir(),
      LOG_LEVEL: "warning",
    };
    let dropDatabase = async () => {};
    if (testDriver() === "postgres") {
      const database = await createTestDatabase();
      if (database.source.kind !== "postgres") throw new Error("expected a PostgreSQL test database");
      env.DATABASE_URL = database.source.url;
      dropDatabase = database.drop;
    }

    const node = spawn(process.execPath, [BIN, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
    children.push(node);
    let output = "";
    node.stdout.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    node.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => node.on("exit", (code) => resolve(code)));
    try {
      // A first start creates the PGlite database (seconds; more on a busy machine).
      await eventually(async () => (await fetch(`${origin}/api/v1/openapi.json`)).ok, 90_000);
      // The node runs in a child process of `weft start`, with the node's V8 flags.
      expect(await commandLinesOfChildren(node.pid!)).toContainEqual(expect.arrayContaining(NODE_FLAGS));

      // The node holds the data folder; token create asks the node, signing its call with the secret file in it.
      const created = await weft(["token", "create", "--scope", "read"], env);
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      const answer = await fetch(`${origin}/api/v1/node`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);

      const status = await weft(["status"], env);
      expect(status).toMatchObject({ code: 0, stderr: "" });
      expect(lines(status.stdout)).toContain(`Account:    coop@127.0.0.1:${port}`);
      expect(lines(status.stdout)).toContain(`Database:   ${testDriver()}`);

      node.kill("SIGTERM");
      expect(await exited).toBe(0);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nnode output:\n${output}`, { cause: error });
    } finally {
      if (node.exitCode === null) node.kill("SIGKILL");
      await exited;
      await dropDatabase();
    }
  }, 300_000);
});
