import { describe, expect, it } from "vitest";
import { startNode } from "../support/network.ts";
import { closedPort, envFor, lines, tempDir, weft } from "./run.ts";

describe("weft's exit codes and error lines", () => {
  const TOKEN_USAGE = "(usage: weft token create --scope read|write|admin";
  // Concurrent: each case is a subprocess, mostly waiting on Node starting up.
  it.concurrent.for<[string[], string]>([
    [["frobnicate"], 'weft: unknown command "frobnicate" (see "weft help")'],
    [["follow"], "weft: missing <handle-or-actor-URL> (usage: weft follow <handle-or-actor-URL> [--json])"],
    [["unfollow", "a", "b"], 'weft: unexpected argument "b" (usage: weft unfollow <id-or-handle>)'],
    [["following", "--all"], 'weft: unknown option "--all" (usage: weft following [--json])'],
    [["followers", "accept", "x"], 'weft: unknown command "followers accept" (use approve, reject or remove)'],
    [["token", "create"], `weft: missing --scope ${TOKEN_USAGE}`],
    [["token", "create", "--scope", "root"], 'weft: unknown scope "root" (use read, write or admin)'],
    [["token", "create", "--scope", "read", "--expires", "soon"], "weft: --expires must be a duration such as 30d"],
    [["token", "create", "--scope"], `weft: --scope needs a value ${TOKEN_USAGE}`],
  ])("weft %j exits 2 with one line", async ([args, message], { expect }) => {
    // Nothing runs on this port: a bad command line must fail before any request.
    const result = await weft(args, { PORT: String(await closedPort()), WEFT_DATA_DIR: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.startsWith(message)).toBe(true);
  });

  it("reports API errors, a wrong secret, a stopped node and a bad environment with exit code 1", async () => {
    const node = await startNode();
    const env = await envFor(node);
    const host = new URL(node.origin).host;

    const unknown = await weft(["follow", `nobody@${host}`], env);
    expect(unknown).toMatchObject({ code: 1, stdout: "", stderr: `weft: No co-op acct:nobody@${host} on ${host}\n` });

    const invalid = await weft(["follow", "x"], env);
    expect(invalid.code).toBe(1);
    expect(lines(invalid.stderr)).toEqual([expect.stringMatching(/^weft: Invalid handle \(handle: .+\)$/)]);

    const wrongSecret = await weft(["status"], { ...env, WEFT_SECRET: "another-secret-that-is-long-enough-to-use" });
    expect(wrongSecret.code).toBe(1);
    expect(lines(wrongSecret.stderr)).toEqual([
      `weft: the node at http://127.0.0.1:${env.PORT} does not accept the CLI's token; run weft with the node's WEFT_ORIGIN and WEFT_SECRET (or WEFT_DATA_DIR)`,
    ]);

    const port = await closedPort();
    const stopped = await weft(["following"], { ...env, PORT: String(port) });
    expect(stopped).toMatchObject({
      code: 1,
      stdout: "",
      stderr: `weft: no node answers at http://127.0.0.1:${port} — start it with "npm start"\n`,
    });

    // WEFT_API_URL wins over PORT.
    const viaApiUrl = await weft(["status", "--json"], { ...env, PORT: String(port), WEFT_API_URL: `${node.origin}/` });
    expect(viaApiUrl.code).toBe(0);
    expect(JSON.parse(viaApiUrl.stdout).account).toBe(node.account);

    const badEnv = await weft(["status"], { ...env, PORT: "eighty", WEFT_FOLLOW_APPROVAL: "sometimes" });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain("PORT: must be a port number");
    expect(badEnv.stderr).toContain("WEFT_FOLLOW_APPROVAL: must be auto or manual");
  });

  it("prints help on stdout with exit code 0", async () => {
    const help = await weft(["followers", "--help"], {});
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toContain("weft token create --scope");
    expect(help.stdout).toContain("weft followers approve <id-or-handle>");
  });
});
