// weft relay, search, coops, crawl and matches against real nodes: a hub
// running a relay, a member co-op, and the partner it follows (which follows
// the hub's co-op in turn, so that a crawl from the member discovers it).
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { closedPort, envFor, lines, tempDir, weft } from "./run.ts";

const MORGANTON = { lat: 35.745, lon: -81.685 };

const sewing = {
  kind: "capacity",
  title: "Cut and sew, knit tops",
  description: "Sewing of jersey tops",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
  location: MORGANTON,
};

const knitting = {
  kind: "capacity",
  title: "Circular knitting capacity",
  category: "textile/knit",
  rate: { amount: "800", unit: "KGM", per: "P1W" },
  region: "PT-13",
  location: { lat: 41.15, lon: -8.61 },
};

describe("weft relay, search, coops, crawl and matches", () => {
  let hub: TestNode;
  let member: TestNode;
  let partner: TestNode;
  let memberEnv: Record<string, string>;

  beforeAll(async () => {
    hub = await startNode({ env: { WEFT_RELAY: "on" } });
    member = await startNode();
    partner = await startNode();
    memberEnv = await envFor(member);
    await member.api("POST", "/following", { handle: partner.account });
    await partner.api("POST", "/following", { handle: hub.account });
    await eventually(async () => {
      const [a, b] = await Promise.all([member.api("GET", "/following"), partner.api("GET", "/following")]);
      return a.body.items[0]?.state === "accepted" && b.body.items[0]?.state === "accepted";
    });
  });

  it("joins a relay by relay@host, lists it once accepted, and leaves it", { timeout: 300_000 }, async () => {
    const relay = `relay@${new URL(hub.origin).host}`;
    const add = await weft(["relay", "add", relay], memberEnv);
    expect(add).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Asked to join relay ${relay}; pending until it accepts (see "weft relay list").\n`,
    });

    const list = await eventually(async () => {
      const run = await weft(["relay", "list"], memberEnv);
      if (!/\saccepted\s/.test(lines(run.stdout)[1] ?? "")) throw new Error(run.stdout + run.stderr);
      return run;
    });
    expect(lines(list.stdout)).toEqual([
      expect.stringMatching(/^ID\s+STATE\s+RELAY\s+SINCE\s+ACTOR$/),
      expect.stringMatching(
        new RegExp(`^[0-9a-f-]{36}\\s+accepted\\s+${relay}\\s+\\d{4}-\\d\\d-\\d\\d\\s+${hub.origin}/coops/relay$`),
      ),
    ]);

    const [json, unknown] = await Promise.all([
      weft(["relay", "list", "--json"], memberEnv),
      weft(["relay", "remove", "relay@elsewhere.example"], memberEnv),
    ]);
    expect(JSON.parse(json.stdout).items).toMatchObject([{ state: "accepted", actor: `${hub.origin}/coops/relay` }]);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'weft: this co-op has not joined relay@elsewhere.example (see "weft relay list")\n',
    });

    const remove = await weft(["relay", "remove", relay], memberEnv);
    expect(remove).toMatchObject({
      code: 0,
      stdout: `Left relay ${relay}; it no longer passes listings to this co-op.\n`,
    });
    expect((await member.api("GET", "/relays")).body.items).toEqual([]);
  });

  it("searches own and partners' listings with filters, distance and pages", { timeout: 300_000 }, async () => {
    await member.api("POST", "/listings", sewing);
    await member.api("POST", "/listings", knitting);
    await partner.api("POST", "/listings", {
      ...sewing,
      title: "Sewing line for woven shirts",
      location: { lat: 35.595, lon: -82.551 },
    });
    await eventually(async () => (await member.api("GET", "/search?q=woven")).body.items.length === 1);

    const [sew, knit, near, first, json, badRegion] = await Promise.all([
      weft(["search", "sewing", "--region", "US-NC"], memberEnv),
      weft(["search", "--kind", "capacity", "--category", "textile"], memberEnv),
      weft(["search", "--near", "35.745,-81.685", "--radius", "100"], memberEnv),
      weft(["search", "--kind", "capacity", "--limit", "1"], memberEnv),
      weft(["search", "--json", "knit"], memberEnv),
      weft(["search", "--region", "Narnia"], memberEnv),
    ]);

    expect(sew).toMatchObject({ code: 0, stderr: "" });
    expect(lines(sew.stdout)[0]).toMatch(/^TITLE\s+KIND\s+TERMS\s+REGION\s+FROM$/);
    expect(lines(sew.stdout).slice(1).sort()).toEqual([
      expect.stringMatching(
        new RegExp(`^Cut and sew, knit tops\\s+capacity\\s+2000 H87/P1W\\s+US-NC\\s+${member.account} \\(own\\)$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^Sewing line for woven shirts\\s+capacity\\s+2000 H87/P1W\\s+US-NC\\s+${partner.account} \\(follow\\)$`,
        ),
      ),
    ]);

    expect(lines(knit.stdout)).toEqual([
      expect.stringMatching(/^TITLE/),
      expect.stringMatching(/^Circular knitting capacity\s+capacity\s+800 KGM\/P1W\s+PT-13\s+\S+ \(own\)$/),
    ]);

    // Nearest first, with the distance; Porto is outside the radius.
    expect(lines(near.stdout)).toEqual([
      expect.stringMatching(/^TITLE\s+KIND\s+TERMS\s+REGION\s+DISTANCE\s+FROM$/),
      expect.stringMatching(/^Cut and sew, knit tops\s+.*\s0 km\s+\S+ \(own\)$/),
      expect.stringMatching(/^Sewing line for woven shirts\s+.*\s(79\.\d|80(\.\d)?) km\s+\S+ \(follow\)$/),
    ]);

    const [, row, hint, ...rest] = lines(first.stdout);
    expect(row).toMatch(/capacity/);
    expect(rest).toEqual([]);
    const cursor = /^More: weft search --kind capacity --limit 1 --cursor (\S+) \(or --all for every page\)$/.exec(
      hint!,
    )![1]!;
    const [second, all] = await Promise.all([
      weft(["search", "--kind", "capacity", "--limit", "1", "--cursor", cursor], memberEnv),
      weft(["search", "--kind", "capacity", "--limit", "1", "--all", "--json"], memberEnv),
    ]);
    expect(lines(second.stdout)).toHaveLength(3);
    expect(lines(second.stdout)[1]).not.toBe(row);
    expect(JSON.parse(all.stdout)).toMatchObject({ next: null });
    expect(JSON.parse(all.stdout).items).toHaveLength(3);

    const hits = JSON.parse(json.stdout);
    expect(hits.items.map((l: { title: string }) => l.title)).toContain("Cut and sew, knit tops");
    expect(hits.items[0]).toMatchObject({ from: { coop: expect.any(String), via: expect.any(String) } });

    expect(badRegion).toMatchObject({ code: 1, stdout: "" });
    expect(lines(badRegion.stderr)).toEqual([expect.stringMatching(/^weft: the node refused the search: --region /)]);
  });

  it("crawls from a partner to the co-ops it follows, then lists them in the directory", {
    timeout: 300_000,
  }, async () => {
    await hub.api("POST", "/listings", { ...knitting, title: "Hub knitting capacity" });

    const crawl = await weft(["crawl", "--depth", "1", "--rate", "50"], memberEnv);
    expect(crawl.code).toBe(0);
    expect(lines(crawl.stdout).at(-1)).toMatch(
      /^Crawl done: [1-9]\d* visited, 1 discovered, 0 skipped \(not discoverable\), 1 listing stored\.$/,
    );
    // Not a terminal: progress lines, not a redrawn bar.
    expect(crawl.stderr).not.toContain("\r");
    expect(
      lines(crawl.stderr).every((line) =>
        /^crawl [0-9a-f]{8}: visited \d+, discovered \d+, skipped \d+, listings \d+$/.test(line),
      ),
    ).toBe(true);

    const started = await weft(["crawl", "--no-wait", "--max-actors", "5", "--json"], memberEnv);
    expect(started.code).toBe(0);
    const { id } = JSON.parse(started.stdout);
    const show = await eventually(async () => {
      const run = await weft(["crawl", "show", id], memberEnv);
      if (!/^State:\s+done$/m.test(run.stdout)) throw new Error(run.stdout + run.stderr);
      return run;
    });
    expect(lines(show.stdout)).toEqual(expect.arrayContaining([`ID:          ${id}`, "Max co-ops:  5"]));

    const [coops, json, none, found] = await Promise.all([
      weft(["coops"], memberEnv),
      weft(["coops", "--json"], memberEnv),
      weft(["coops", "--region", "FR"], memberEnv),
      weft(["search", "hub"], memberEnv),
    ]);
    expect(coops).toMatchObject({ code: 0, stderr: "" });
    expect(lines(coops.stdout)[0]).toMatch(/^CO-OP\s+NAME\s+REGION\s+CATEGORIES\s+LISTINGS\s+KNOWN VIA\s+LAST SEEN$/);
    expect(lines(coops.stdout)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${hub.account}\\s.*\\stextile/knit\\s+1\\s+crawl\\s+\\d{4}-\\d\\d-\\d\\d$`)),
      ]),
    );
    expect(JSON.parse(json.stdout).items.map((c: { actor: string }) => c.actor)).toContain(hub.actorUrl);
    expect(none).toMatchObject({ code: 0, stdout: "No known co-ops match.\n" });
    expect(lines(found.stdout)[1]).toMatch(new RegExp(`^Hub knitting capacity\\s.*\\s${hub.account} \\(crawl\\)$`));
  });

  it("shows matches for a need and marks them seen", { timeout: 300_000 }, async () => {
    await member.api("POST", "/listings", {
      kind: "need",
      title: "Need 3000 tops sewn",
      category: "apparel/cut-and-sew",
      quantity: { amount: "3000", unit: "H87" },
      region: "US-NC",
    });
    const matches = await eventually(async () => {
      const run = await weft(["matches", "--new"], memberEnv);
      if (!/Sewing line for woven shirts/.test(run.stdout)) throw new Error(run.stdout + run.stderr);
      return run;
    });
    expect(matches).toMatchObject({ code: 0, stderr: "" });
    const [header, row, ...rest] = lines(matches.stdout);
    expect(header).toMatch(/^NEW\s+SCORE\s+NEED\s+NEEDED BY\s+OFFER\s+OFFERED BY\s+WHY$/);
    expect(row).toMatch(
      new RegExp(
        `^new\\s+\\d+\\s+Need 3000 tops sewn\\s+this co-op\\s+Sewing line for woven shirts\\s+${partner.account}\\s+same category apparel/cut-and-sew`,
      ),
    );
    expect(rest.at(-1)).toBe('Mark them seen with "weft matches seen".');

    const seen = await weft(["matches", "seen"], memberEnv);
    expect(seen).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Marked \d+ match(es)? as seen\.\n$/) });
    const [again, all] = await Promise.all([
      weft(["matches", "--new"], memberEnv),
      weft(["matches", "--json"], memberEnv),
    ]);
    expect(again).toMatchObject({ code: 0, stdout: "No new matches.\n" });
    expect(JSON.parse(all.stdout).items[0]).toMatchObject({ new: false, need: { title: "Need 3000 tops sewn" } });

    // A co-op with no needs has no matches.
    const none = await weft(["matches"], await envFor(hub));
    expect(none.stdout).toMatch(/^No matches/);
  });
});

// No node and no database: once is enough, so not again in the postgres project.
describe.skipIf(process.env.WEFT_TEST_DRIVER === "postgres")("discovery command lines", () => {
  it.concurrent.for<[string[], string]>([
    [["search", "--radius", "50"], "weft: --radius needs --near as well"],
    [["search", "--near", "35.7,-81.6", "--radius", "far"], "weft: --radius must be a number of kilometres above zero"],
    [
      ["search", "--near", "north"],
      'weft: --near must be a latitude and longitude such as 35.745,-81.685 (got "north")',
    ],
    [["search", "--near", "-35.3,149.1"], 'weft: --near\'s value starts with "-"; write it as --near=<value>'],
    [["search", "--sort", "cheapest"], 'weft: --sort must be relevance, distance or newest (got "cheapest")'],
    [["search", "--sort", "distance"], "weft: --sort distance needs --near <lat,lon>"],
    [["search", "--limit", "ten"], 'weft: --limit must be a whole number from 1 to 100 (got "ten")'],
    [["search", "--min-quantity", "3000"], "weft: --min-quantity needs --unit as well"],
    [["search", "--max-price", "cheap", "--currency", "USD"], "weft: --max-price must be a decimal number"],
    [["search", "--from", "2027-02-30"], 'weft: --from must be a date such as 2027-02-01 (got "2027-02-30")'],
    [["search", "--from", "2027-03-01", "--until", "2027-02-01"], "weft: --until 2027-02-01 is before --from"],
    [["search", "--kind", "service"], 'weft: --kind must be offer, capacity or need (got "service")'],
    [["coops", "textile"], 'weft: unexpected argument "textile" (usage: weft coops'],
    [["relay"], "weft: missing command (usage: weft relay add|list|remove|members|approve|reject …)"],
    [
      ["relay", "join", "relay@hub.example"],
      'weft: unknown command "relay join" (use add, list, remove, members, approve or reject)',
    ],
    [["relay", "add"], "weft: missing <relay@host-or-actor-URL> (usage: weft relay add"],
    [["relay", "add", "hub.example"], 'weft: "hub.example" is neither a relay@host handle nor an actor URL'],
    [["relay", "remove"], "weft: missing <id-or-actor-URL> (usage: weft relay remove"],
    [["crawl", "--depth", "two"], 'weft: --depth must be a whole number from 1 up (got "two")'],
    [["crawl", "--rate", "0"], "weft: --rate must be a number of fetches per second above zero"],
    [["crawl", "now"], 'weft: unexpected argument "now" (usage: weft crawl'],
    [["crawl", "show", "latest"], 'weft: "latest" is not a crawl id'],
    [["matches", "--all"], 'weft: unknown option "--all" (usage: weft matches'],
    [["matches", "seen", "--new"], 'weft: unknown option "--new" (usage: weft matches seen'],
  ])("weft %j exits 2 with one line", async ([args, message], { expect }) => {
    // Nothing runs on this port: a bad command line must fail before any request.
    const result = await weft(args, { PORT: String(await closedPort()), WEFT_DATA_DIR: await tempDir() });
    expect(result.stdout).toBe("");
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.code).toBe(2);
  });
});
