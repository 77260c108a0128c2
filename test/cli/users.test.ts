// weft user add / list against a running node.
import { describe, expect, it } from "vitest";
import { completeSetup } from "../../src/actions/people.ts";
import { startNode } from "../support/network.ts";
import { envFor, lines, weft } from "./run.ts";

describe("weft user", () => {
  it("adds a person with a one-time link and lists them once they set up their account", async () => {
    const node = await startNode();
    const env = await envFor(node);
    expect(lines((await weft(["user", "list"], env)).stdout)).toEqual([
      `Nobody has an account yet; invite the first owner with "weft user add EMAIL --role owner".`,
    ]);

    const added = await weft(["user", "add", "ada@knit.example", "--role", "owner"], env);
    expect(added).toMatchObject({ code: 0, stderr: "" });
    const out = lines(added.stdout);
    expect(out[0]).toBe("Invited ada@knit.example as owner. Send them this one-time link to choose a password:");
    const link = out[1]!.trim();
    expect(link).toMatch(new RegExp(`^${node.origin}/setup/[A-Za-z0-9_-]{43}$`));
    expect(out[2]).toMatch(/^It works once, until \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\.$/);

    const { services, federation } = node.node.deps;
    await completeSetup({ services, federation }, link.split("/").at(-1)!, { name: "Ada", password: "0123456789" });
    const list = lines((await weft(["user", "list"], env)).stdout);
    expect(list[0]).toMatch(/^EMAIL\s+NAME\s+ROLE\s+SINCE$/);
    expect(list[1]).toMatch(/^ada@knit\.example\s+Ada\s+owner\s+\d{4}-\d\d-\d\d$/);
  });

  it("says in one line what is wrong with the command or the email", async () => {
    const node = await startNode();
    const env = await envFor(node);
    expect(await weft(["user", "add", "ada@knit.example"], env)).toMatchObject({
      code: 2,
      stderr: "weft: missing --role (usage: weft user add <email> --role owner|member|viewer [--json])\n",
    });
    expect(await weft(["user", "add", "ada@knit.example", "--role", "boss"], env)).toMatchObject({
      code: 2,
      stderr: 'weft: --role must be owner, member or viewer (got "boss")\n',
    });
    expect(await weft(["user", "add", "ada", "--role", "member"], env)).toMatchObject({
      code: 1,
      stderr: "weft: the node refused the invitation: the email must be an email address such as sam@coop.example\n",
    });
  });
});
