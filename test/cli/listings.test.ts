import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNetwork, type TestNode } from "../support/network.ts";
import { closedPort, envFor, lines, tempDir, weft } from "./run.ts";

const jersey = {
  kind: "offer",
  title: "Organic cotton jersey, 180 gsm",
  description: "Soft **organic** jersey.\nDyed to order.",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "USD", per: "MTR" },
  region: "US-NC",
  availableFrom: "2027-01-04",
  availableUntil: "2027-03-31",
  visibility: "public",
};

const sewing = {
  kind: "capacity",
  title: "Cut and sew, knit tops",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
};

async function jsonFile(name: string, content: unknown): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

describe("weft listing and weft timeline", () => {
  let seller: TestNode;
  let buyer: TestNode;
  let sellerEnv: Record<string, string>;
  let buyerEnv: Record<string, string>;

  beforeAll(async () => {
    [seller, buyer] = (await startNetwork(2)) as [TestNode, TestNode];
    sellerEnv = await envFor(seller);
    buyerEnv = await envFor(buyer);
    await buyer.api("POST", "/following", { handle: seller.account });
    await eventually(async () => (await buyer.api("GET", "/following")).body.items[0]?.state === "accepted");
  });

  it("publishes, lists, shows, updates and removes listings that a follower sees in its timeline", async () => {
    const created = await weft(["listing", "create", "--file", await jsonFile("listing.json", jersey)], sellerEnv);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    const [headline, idLine, iriLine, ...more] = lines(created.stdout);
    expect(headline).toBe('Published offer "Organic cotton jersey, 180 gsm".');
    const id = /^ID:\s+([0-9a-f-]{36})$/.exec(idLine!)![1]!;
    const stored = await seller.api("GET", `/listings/${id}`);
    expect(stored.body).toMatchObject({ title: jersey.title, quantity: jersey.quantity, status: "active" });
    expect(iriLine).toBe(`IRI:  ${stored.body.iri}`);
    expect(more).toEqual([]);

    // From stdin, with --json.
    const capacity = await weft(["listing", "create", "--file", "-", "--json"], sellerEnv, {
      input: JSON.stringify(sewing),
    });
    expect(capacity).toMatchObject({ code: 0, stderr: "" });
    const sewingId = JSON.parse(capacity.stdout).id;
    expect(JSON.parse(capacity.stdout)).toMatchObject({ kind: "capacity", rate: sewing.rate, local: true });

    // Read-only runs, side by side: each is a Node process starting up.
    const [list, offers, paused, show, showJson] = await Promise.all([
      weft(["listing", "list"], sellerEnv),
      weft(["listing", "list", "--kind", "offer", "--json"], sellerEnv),
      weft(["listing", "list", "--status", "paused"], sellerEnv),
      weft(["listing", "show", id], sellerEnv),
      weft(["listing", "show", id, "--json"], sellerEnv),
    ]);
    expect(list).toMatchObject({ code: 0, stderr: "" });
    const [header, ...rows] = lines(list.stdout);
    expect(header).toMatch(/^ID\s+KIND\s+TITLE\s+QUANTITY\/RATE\s+PRICE\s+REGION\s+VISIBILITY\s+STATUS$/);
    expect(rows).toEqual([
      expect.stringMatching(
        new RegExp(`^${sewingId}\\s+capacity\\s+Cut and sew, knit tops\\s+2000 H87/P1W\\s+US-NC\\s+public\\s+active$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^${id}\\s+offer\\s+Organic cotton jersey, 180 gsm\\s+500 MTR\\s+7.40 USD/MTR\\s+US-NC\\s+public\\s+active$`,
        ),
      ),
    ]);
    expect(JSON.parse(offers.stdout).items.map((l: { id: string }) => l.id)).toEqual([id]);
    expect(paused).toMatchObject({ code: 0, stdout: "No listings of this co-op match.\n" });

    expect(show).toMatchObject({ code: 0, stderr: "" });
    expect(lines(show.stdout)).toEqual(
      expect.arrayContaining([
        `ID:             ${id}`,
        "Kind:           offer",
        "Quantity:       500 MTR",
        "Minimum order:  50 MTR",
        "Price:          7.40 USD per MTR",
        "Available:      2027-01-04 to 2027-03-31",
        "Visibility:     public",
        "Soft **organic** jersey.",
        "Dyed to order.",
      ]),
    );
    expect(JSON.parse(showJson.stdout)).toEqual(stored.body);

    const patch = await jsonFile("patch.json", {
      title: "Organic cotton jersey, 160 gsm",
      quantity: { amount: "400", unit: "MTR" },
    });
    const updated = await weft(["listing", "update", id, "--file", patch], sellerEnv);
    expect(updated).toMatchObject({ code: 0, stderr: "" });
    expect(lines(updated.stdout)).toEqual([
      'Updated offer "Organic cotton jersey, 160 gsm".',
      `ID:   ${id}`,
      `IRI:  ${stored.body.iri}`,
    ]);

    // The follower's timeline: both listings, the changed one first.
    const jerseyRow = new RegExp(
      `^\\d{4}-\\d\\d-\\d\\d\\s+${seller.account}\\s+offer\\s+Organic cotton jersey, 160 gsm\\s+400 MTR \\(min 50\\) at 7.40 USD/MTR\\s+US-NC$`,
    );
    const sewingRow = new RegExp(
      `\\s+${seller.account}\\s+capacity\\s+Cut and sew, knit tops\\s+2000 H87/P1W\\s+US-NC$`,
    );
    const timeline = await eventually(async () => {
      const run = await weft(["timeline"], buyerEnv);
      if (run.code !== 0 || !jerseyRow.test(lines(run.stdout)[1] ?? "")) throw new Error(run.stdout + run.stderr);
      return run;
    });
    expect(lines(timeline.stdout)).toEqual([
      expect.stringMatching(/^UPDATED\s+AUTHOR\s+KIND\s+TITLE\s+TERMS\s+REGION$/),
      expect.stringMatching(jerseyRow),
      expect.stringMatching(sewingRow),
    ]);

    // One page at a time, then every page.
    const [first, all, kind] = await Promise.all([
      weft(["timeline", "--limit", "1"], buyerEnv),
      weft(["timeline", "--all", "--limit", "1", "--json"], buyerEnv),
      weft(["timeline", "--kind", "capacity"], buyerEnv),
    ]);
    const [, firstRow, hint, ...rest] = lines(first.stdout);
    expect(firstRow).toMatch(jerseyRow);
    const cursor = /^More: weft timeline --limit 1 --cursor (\S+) \(or --all for every page\)$/.exec(hint!)![1]!;
    expect(rest).toEqual([]);
    const second = await weft(["timeline", "--limit", "1", "--cursor", cursor], buyerEnv);
    expect(lines(second.stdout)).toEqual([expect.stringMatching(/^UPDATED/), expect.stringMatching(sewingRow)]);
    expect(JSON.parse(all.stdout)).toMatchObject({
      items: [{ id: expect.any(String) }, { kind: "capacity" }],
      next: null,
    });
    expect(lines(kind.stdout).slice(1)).toEqual([expect.stringMatching(sewingRow)]);

    const removed = await weft(["listing", "remove", id], sellerEnv);
    expect(removed).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Removed listing ${id}; co-ops that received it are told to delete it.\n`,
    });
    expect((await seller.api("GET", `/listings/${id}`)).status).toBe(404);
    await eventually(async () => {
      const run = await weft(["timeline", "--json"], buyerEnv);
      return run.code === 0 && JSON.parse(run.stdout).items.length === 1;
    });
    const gone = await weft(["listing", "show", id], sellerEnv);
    expect(gone).toMatchObject({ code: 1, stdout: "", stderr: "weft: No such listing\n" });
  });

  it("refuses unreadable files with exit code 2 and invalid listings with exit code 1, storing nothing", async () => {
    const before = (await seller.api("GET", "/listings")).body.items.length;

    const broken = await jsonFile("broken.json", '{"kind": "offer",\n  "title": }');
    const notJson = await weft(["listing", "create", "--file", broken], sellerEnv);
    expect(notJson).toMatchObject({ code: 2, stdout: "" });
    expect(lines(notJson.stderr)).toEqual([expect.stringMatching(`^weft: ${broken} is not valid JSON: `)]);

    const missing = join(await tempDir(), "nowhere.json");
    const noFile = await weft(["listing", "create", "--file", missing], sellerEnv);
    expect(noFile).toMatchObject({ code: 2, stdout: "", stderr: `weft: cannot read ${missing}: no such file\n` });

    const array = await weft(["listing", "create", "--file", "-"], sellerEnv, { input: "[1, 2]" });
    expect(array.code).toBe(2);
    expect(lines(array.stderr)).toEqual([expect.stringMatching(/^weft: stdin must hold one JSON object/)]);

    const tooMuch = await jsonFile("too-much.json", { ...jersey, minimumOrder: { amount: "600", unit: "MTR" } });
    const invalid = await weft(["listing", "create", "--file", tooMuch], sellerEnv);
    expect(invalid).toMatchObject({ code: 1, stdout: "" });
    expect(lines(invalid.stderr)).toEqual([
      "weft: Invalid minimumOrder.amount (minimumOrder.amount: must not be more than the quantity available)",
    ]);

    const wrongType = await weft(["listing", "create", "--file", "-"], sellerEnv, {
      input: JSON.stringify({ ...sewing, rate: { amount: 2000, unit: "H87", per: "P1W" }, colour: "red" }),
    });
    expect(wrongType).toMatchObject({ code: 1, stdout: "" });
    expect(lines(wrongType.stderr)).toHaveLength(1);
    expect(wrongType.stderr).toContain("rate.amount: must be a decimal string");
    expect(wrongType.stderr).toContain("unknown field(s): colour");

    expect((await seller.api("GET", "/listings")).body.items).toHaveLength(before);
  });

  it("publishes the example listings of docs/cli.md", async () => {
    const docs = await readFile(new URL("../../docs/cli.md", import.meta.url), "utf8");
    // The listing examples; the orders' examples (no "kind") are tested in orders.test.ts.
    const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((e) => "kind" in JSON.parse(e));
    expect(examples.map((e) => JSON.parse(e).kind)).toEqual(["offer", "capacity", "need"]);
    for (const example of examples) {
      const run = await weft(["listing", "create", "--file", "-"], sellerEnv, { input: example });
      expect(run).toMatchObject({ code: 0, stderr: "" });
    }
  });
});

// No node and no database: once is enough, so not again in the postgres project.
describe.skipIf(process.env.WEFT_TEST_DRIVER === "postgres")("weft listing and weft timeline command lines", () => {
  const LIST_USAGE = "(usage: weft listing list [--kind offer|capacity|need]";
  it.concurrent.for<[string[], string]>([
    [["listing"], "weft: missing command (usage: weft listing create|list|show|update|remove …)"],
    [["listing", "publish"], 'weft: unknown command "listing publish" (use create, list, show, update or remove)'],
    [["listing", "list", "--kinds", "offer"], `weft: unknown option "--kinds" ${LIST_USAGE}`],
    [["listing", "list", "--kind", "service"], 'weft: --kind must be offer, capacity or need (got "service")'],
    [["listing", "list", "--status", "deleted"], 'weft: --status must be active or paused (got "deleted")'],
    [["listing", "show"], "weft: missing <id> (usage: weft listing show <id> [--json])"],
    [["listing", "show", "jersey"], 'weft: "jersey" is not a listing id (see "weft listing list")'],
    [["listing", "create"], "weft: missing --file (usage: weft listing create --file <listing.json|-> [--json])"],
    [["listing", "create", "--file"], "weft: --file needs a value (usage: weft listing create"],
    [["listing", "create", "--file", "-"], "weft: stdin is empty; it must hold a listing as a JSON object"],
    [["listing", "update", "--file", "patch.json"], "weft: missing <id> (usage: weft listing update <id>"],
    [["timeline", "--limit", "ten"], 'weft: --limit must be a whole number from 1 to 100 (got "ten")'],
    [["timeline", "--limit", "0"], 'weft: --limit must be a whole number from 1 to 100 (got "0")'],
    [["timeline", "offer"], 'weft: unexpected argument "offer" (usage: weft timeline'],
  ])("weft %j exits 2 with one line", async ([args, message], { expect }) => {
    // Nothing runs on this port: a bad command line must fail before any request.
    const result = await weft(args, { PORT: String(await closedPort()), WEFT_DATA_DIR: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.startsWith(message)).toBe(true);
  });
});
