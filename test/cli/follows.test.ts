import { describe, expect, it } from "vitest";
import { eventually, startNetwork, startNode } from "../support/network.ts";
import { envFor, lines, weft } from "./run.ts";

describe("weft follow, following, followers, unfollow, status", () => {
  it("follows a co-op by handle, lists both sides, shows the status and unfollows", async () => {
    const [knit, dye] = await startNetwork(2);
    const knitEnv = await envFor(knit!);
    const dyeEnv = await envFor(dye!);

    const follow = await weft(["follow", dye!.account], knitEnv);
    expect(follow).toMatchObject({ code: 0, stderr: "" });
    expect(follow.stdout).toContain(`Asked to follow ${dye!.account}`);
    await eventually(async () => (await knit!.api("GET", "/following")).body.items[0]?.state === "accepted");

    const following = await weft(["following"], knitEnv);
    expect(following.code).toBe(0);
    const [header, row, ...rest] = lines(following.stdout);
    expect(header).toMatch(/^ID\s+STATE\s+CO-OP\s+SINCE\s+NAME$/);
    expect(row).toMatch(
      new RegExp(`^[0-9a-f-]{36}\\s+accepted\\s+${dye!.account}\\s+\\d{4}-\\d\\d-\\d\\d\\s+Test co-op`),
    );
    expect(rest).toEqual([]);

    const json = await weft(["following", "--json"], knitEnv);
    expect(JSON.parse(json.stdout).items).toMatchObject([{ state: "accepted", actor: { handle: dye!.account } }]);

    const followers = await weft(["followers"], dyeEnv);
    expect(followers.code).toBe(0);
    expect(lines(followers.stdout)[1]).toMatch(new RegExp(`\\saccepted\\s+${knit!.account}\\s`));

    const status = await weft(["status"], dyeEnv);
    expect(status).toMatchObject({ code: 0, stderr: "" });
    const driver = (await dye!.api("GET", "/node")).body.database;
    expect(lines(status.stdout)).toEqual(
      expect.arrayContaining([
        `Name:       ${dye!.config.name}`,
        `Account:    ${dye!.account}`,
        `Actor:      ${dye!.actorUrl}`,
        `Database:   ${driver}`,
        "Followers:  1 (0 waiting for approval)",
        "Following:  0",
        expect.stringMatching(/^Queue:\s+\d+ to deliver/),
      ]),
    );

    // By handle: the CLI finds the follow's id in the list.
    const unfollow = await weft(["unfollow", dye!.account], knitEnv);
    expect(unfollow).toMatchObject({ code: 0, stdout: `Unfollowed ${dye!.account}.\n` });
    expect((await knit!.api("GET", "/following")).body.items).toEqual([]);
    await eventually(async () => (await dye!.api("GET", "/followers")).body.items.length === 0);
  });

  it("approves, rejects and removes followers of a co-op with manual approval", async () => {
    const careful = await startNode({ env: { WEFT_FOLLOW_APPROVAL: "manual" } });
    const [first, second] = await startNetwork(2);
    const env = await envFor(careful);

    // By actor URL this time.
    const follow = await weft(["follow", careful.actorUrl, "--json"], await envFor(first!));
    expect(follow.code).toBe(0);
    expect(JSON.parse(follow.stdout)).toMatchObject({ state: "pending", actor: { iri: careful.actorUrl } });
    await second!.api("POST", "/following", { handle: careful.account });
    await eventually(async () => (await careful.api("GET", "/followers?state=pending")).body.items.length === 2);

    const pending = await weft(["followers", "--pending"], env);
    expect(pending.code).toBe(0);
    const rows = lines(pending.stdout).slice(1);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => /\spending\s/.test(row))).toBe(true);
    const firstId = rows.find((row) => row.includes(first!.account))!.split(/\s+/)[0]!;

    const approve = await weft(["followers", "approve", firstId], env);
    expect(approve).toMatchObject({ code: 0, stderr: "" });
    expect(approve.stdout).toContain(`Approved ${first!.account}`);
    await eventually(async () => (await first!.api("GET", "/following")).body.items[0]?.state === "accepted");

    const reject = await weft(["followers", "reject", second!.account], env);
    expect(reject).toMatchObject({ code: 0, stdout: `Rejected ${second!.account}.\n` });
    await eventually(async () => (await second!.api("GET", "/following")).body.items[0]?.state === "rejected");

    const remove = await weft(["followers", "remove", firstId], env);
    expect(remove.code).toBe(0);
    expect((await careful.api("GET", "/followers")).body.items).toEqual([]);

    // The API's 404, as one line.
    const again = await weft(["followers", "approve", firstId], env);
    expect(again).toMatchObject({ code: 1, stdout: "", stderr: "weft: No such follower\n" });
  });
});
