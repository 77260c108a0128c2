import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/network.ts";
import { type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";
import { closedPort, envFor, lines, tempDir, weft } from "./run.ts";

async function jsonFile(name: string, content: unknown): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, JSON.stringify(content, null, 2));
  return path;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** `weft ...args --json` that must succeed, parsed. */
async function weftJson(args: string[], env: Record<string, string>): Promise<any> {
  const run = await weft([...args, "--json"], env);
  if (run.code !== 0) throw new Error(`weft ${args.join(" ")}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe("weft order", () => {
  let m: Market;
  let buyerEnv: Record<string, string>;
  let sellerEnv: Record<string, string>;

  beforeAll(async () => {
    m = await openMarket();
    buyerEnv = await envFor(m.buyer);
    sellerEnv = await envFor(m.seller);
  });

  /** The seller's id of the order with `iri`, once the order has reached the seller. */
  async function sellerId(iri: string): Promise<string> {
    return await eventually(async () => {
      const list = await weftJson(["order", "list", "--role", "seller"], sellerEnv);
      return list.items.find((o: { iri: string }) => o.iri === iri)?.id as string | undefined;
    });
  }

  it("places an order that the seller accepts and ships and the buyer receives, to completed on both nodes", async () => {
    const created = await weft(["order", "create", "--file", await jsonFile("order.json", orderBody(m))], buyerEnv);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    const [headline, idLine, iriLine, ...rest] = lines(created.stdout);
    expect(headline).toBe(`Sent order to ${m.seller.account}.`);
    const buyerId = new RegExp(`^ID:\\s+(${UUID})$`).exec(idLine!)![1]!;
    const iri = /^IRI:\s+(\S+)$/.exec(iriLine!)![1]!;
    expect(rest).toEqual(["State:  sent", "Total:  1633.75 USD"]);
    expect((await m.buyer.api("GET", `/orders/${buyerId}`)).body).toMatchObject({ iri, state: "sent", version: 1 });

    // Only the seller may ship, and not before accepting: the buyer is told what it may do.
    const early = await weft(["order", "ship", buyerId, "--line", "1=10"], buyerEnv);
    expect(early).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "weft: cannot ship this order while it is sent (allowed: cancel)\n",
    });

    const id = await sellerId(iri);
    const [list, show] = await Promise.all([
      weft(["order", "list", "--role", "seller", "--state", "sent"], sellerEnv),
      weft(["order", "show", id], sellerEnv),
    ]);
    expect(list).toMatchObject({ code: 0, stderr: "" });
    expect(lines(list.stdout)).toEqual([
      expect.stringMatching(/^ID\s+ROLE\s+PARTNER\s+STATE\s+LINES\s+TOTAL\s+UPDATED$/),
      expect.stringMatching(
        new RegExp(
          `^${id}\\s+seller\\s+${m.buyer.account}\\s+sent\\s+2\\s+1633.75 USD\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`,
        ),
      ),
    ]);
    expect(show).toMatchObject({ code: 0, stderr: "" });
    expect(lines(show.stdout)).toEqual(
      expect.arrayContaining([
        `ID:                ${id}`,
        "Role:              seller",
        `Buyer:             ${m.buyer.account}`,
        "State:             sent",
        "Total:             1633.75 USD",
        "Delivery window:   2027-02-01 to 2027-02-15",
        "Deliver to:        Burke Knit Co-op, 200 Avery Ave, Morganton (US-NC)",
        expect.stringMatching(/^LINE\s+ITEM\s+QUANTITY\s+UNIT PRICE\s+TOTAL\s+SHIPPED\s+RECEIVED\s+STATUS$/),
        expect.stringMatching(/^1\s+Organic cotton jersey\s+200 MTR\s+7.40 USD\s+1480.00 USD\s+0\s+0\s+pending$/),
        expect.stringMatching(/^2\s+Rib trim\s+30 MTR\s+5.125 USD\s+153.75 USD\s+0\s+0\s+pending$/),
        "Allowed actions: accept, reject, propose-changes",
        expect.stringMatching(/^TIME\s+BY\s+TYPE\s+OUTCOME\s+VERSION\s+REASON$/),
        expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+buyer\s+order\s+applied\s+1$/),
      ]),
    );

    const accepted = await weft(["order", "accept", id], sellerEnv);
    expect(accepted).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Order ${id}: accepted; now accepted, version 2.\n`,
    });
    // The state allows shipping, but not more than was ordered.
    const tooMuch = await weft(["order", "ship", id, "--line", "1=600"], sellerEnv);
    expect(tooMuch).toMatchObject({ code: 1, stdout: "" });
    expect(lines(tooMuch.stderr)).toEqual(["weft: cannot ship: line 1: more than ordered and not yet shipped (200)"]);
    const shipped = await weft(
      ["order", "ship", id, "--line", "1=200", "--line", "2=30", "--tracking", "1Z999", "--date", "2027-02-03"],
      sellerEnv,
    );
    expect(shipped).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Order ${id}: shipment recorded; now accepted, version 3.\n`,
    });

    await eventually(async () => (await orderOn(m.buyer, iri))?.version === 3);
    const received = await weft(["order", "receive", buyerId, "--line", "1=200", "--line=2=30"], buyerEnv);
    expect(received).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Order ${buyerId}: receipt recorded; now completed, version 4.\n`,
    });

    const [buyerView, sellerView] = await Promise.all([
      weftJson(["order", "show", buyerId], buyerEnv),
      eventually(async () => {
        const order = await weftJson(["order", "show", id], sellerEnv);
        return order.state === "completed" && order;
      }),
    ]);
    expect(buyerView).toMatchObject({ id: buyerId, iri, role: "buyer", state: "completed", version: 4 });
    expect(sellerView).toMatchObject({ id, iri, role: "seller", state: "completed", version: 4 });
    expect(buyerView.lines.map((l: any) => [l.shipped, l.received])).toEqual([
      ["200", "200"],
      ["30", "30"],
    ]);
    expect(buyerView.history.find((h: any) => h.type === "ship").payload).toMatchObject({
      date: "2027-02-03",
      tracking: "1Z999",
    });

    const xmlFile = join(await tempDir(), "order.xml");
    const [ubl, ublOut, done] = await Promise.all([
      weft(["order", "ubl", buyerId], buyerEnv),
      weft(["order", "ubl", buyerId, "--out", xmlFile], buyerEnv),
      weft(["order", "show", buyerId], buyerEnv),
    ]);
    expect(ubl).toMatchObject({ code: 0, stderr: "" });
    expect(ubl.stdout.startsWith("<?xml")).toBe(true);
    expect(ublOut).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Wrote order ${buyerId} as a UBL 2.1 Order to ${xmlFile}.\n`,
    });
    const xml = await readFile(xmlFile, "utf8");
    expect(xml.startsWith("<?xml")).toBe(true);
    expect(`${xml.trimEnd()}\n`).toBe(ubl.stdout);
    expect(lines(done.stdout)).toEqual(
      expect.arrayContaining([
        "State:             completed",
        "Version:           4",
        expect.stringMatching(/^1\s+Organic cotton jersey\s+200 MTR\s+7.40 USD\s+1480.00 USD\s+200\s+200\s+accepted$/),
        "Allowed actions: none",
        expect.stringMatching(/\s+seller\s+ship\s+applied\s+3$/),
        expect.stringMatching(/\s+buyer\s+receive\s+applied\s+4$/),
      ]),
    );

    // A finished order allows nothing.
    const late = await weft(["order", "cancel", buyerId, "--reason", "Too late"], buyerEnv);
    expect(late).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "weft: cannot cancel this order while it is completed (no action is allowed now)\n",
    });
  });

  it("places the docs' example order, and the seller proposes the docs' example changes", async () => {
    const docs = await readFile(new URL("../../docs/cli.md", import.meta.url), "utf8");
    const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!));
    const order = examples.find((e) => "lines" in e);
    const changes = examples.find((e) => "changes" in e);
    // The example orders from two listings of another co-op: this seller's two.
    const [jersey, rib] = [...new Set<string>(order.lines.map((l: { listing: string }) => l.listing))];
    const text = JSON.stringify(order).replaceAll(jersey!, m.jerseyIri).replaceAll(rib!, m.ribIri);

    const run = await weft(["order", "create", "--file", "-", "--json"], buyerEnv, { input: text });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const placed = JSON.parse(run.stdout);
    expect(placed).toMatchObject({ state: "sent", role: "buyer", seller: m.seller.actorUrl });

    const id = await sellerId(placed.iri);
    const proposed = await weft(
      ["order", "propose-changes", id, "--file", await jsonFile("changes.json", changes)],
      sellerEnv,
    );
    expect(proposed).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Order ${id}: changes proposed; now conditionally_accepted, version 2.\n`,
    });
    await eventually(async () => (await orderOn(m.buyer, placed.iri))?.state === "conditionally_accepted");
    const agreed = await weft(["order", "accept-changes", placed.id], buyerEnv);
    expect(agreed).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Order ${placed.id}: changes accepted; now accepted, version 3.\n`,
    });
    const cancel = await weft(["order", "cancel", placed.id, "--reason", "The customer pulled out"], buyerEnv);
    expect(cancel).toMatchObject({
      code: 0,
      stderr: "",
      stdout: `Order ${placed.id}: cancellation requested; now cancel_requested, version 4.\n`,
    });
    const after = await weftJson(["order", "show", placed.id], buyerEnv);
    expect(after.lines.map((l: any) => [l.quantity.amount, l.status])).toEqual([
      ["150", "changed"],
      ["30", "not_accepted"],
    ]);
    expect(after.total).toBe("1110.00");
  });

  it("refuses an order the node does not accept with exit code 1, and files that are not JSON with 2", async () => {
    const tooMuch = orderBody(m, {
      lines: [
        { listing: m.ribIri, quantity: { amount: "900", unit: "MTR" }, unitPrice: orderBody(m).lines[1]!.unitPrice },
      ],
    });
    const refused = await weft(["order", "create", "--file", await jsonFile("order.json", tooMuch)], buyerEnv);
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(lines(refused.stderr)).toEqual([
      "weft: The order does not fit the listings: lines.0.quantity.amount is more than the 100 available",
    ]);
    const broken = await weft(["order", "create", "--file", "-"], buyerEnv, { input: '{"lines": [' });
    expect(broken).toMatchObject({ code: 2, stdout: "" });
    expect(lines(broken.stderr)).toEqual([expect.stringMatching(/^weft: stdin is not valid JSON: /)]);
  });
});

// No node and no database: once is enough, so not again in the postgres project.
describe.skipIf(process.env.WEFT_TEST_DRIVER === "postgres")("weft order command lines", () => {
  const id = "0b6f3c1e-5a0d-4e53-9a51-2f7c7d0c1a4e";
  it.concurrent.for<[string[], string]>([
    [["order"], "weft: missing command (usage: weft order create|list|show|accept|"],
    [["order", "pay", id], 'weft: unknown command "order pay" (use create, list, show, accept, reject,'],
    [["order", "accept"], "weft: missing <id> (usage: weft order accept <id> [--json])"],
    [["order", "show", "42"], 'weft: "42" is not an order id (see "weft order list")'],
    [["order", "ship", id], "weft: missing --line <line>=<quantity> (usage: weft order ship <id>"],
    [["order", "ship", id, "--line", "1:120"], 'weft: --line must be a line id, "=" and a quantity above zero'],
    [["order", "ship", id, "--line", "1=0"], 'weft: --line must be a line id, "=" and a quantity above zero'],
    [["order", "receive", id, "--line", "1=1e3"], 'weft: --line must be a line id, "=" and a quantity above zero'],
    [["order", "ship", id, "--line", "1=5", "--line", "1=6"], "weft: --line 1 is given twice"],
    [
      ["order", "receive", id, "--line", "1=5", "--date", "2027-02-30"],
      'weft: --date must be a date such as 2027-02-01 (got "2027-02-30")',
    ],
    [["order", "receive", id, "--line", "1=5", "--tracking", "X"], 'weft: unknown option "--tracking"'],
    [["order", "cancel", id], "weft: missing --reason: say why the order is cancelled (usage: weft order cancel"],
    [["order", "cancel", id, "--reason", " "], "weft: missing --reason"],
    [["order", "change", id], "weft: missing --file (usage: weft order change <id> --file <changes.json|-> [--json])"],
    [["order", "propose-changes", id, "--file", "-"], "weft: stdin is empty; it must hold changes as a JSON object"],
    [["order", "list", "--role", "broker"], 'weft: --role must be buyer or seller (got "broker")'],
    [["order", "list", "--state", "shipped"], "weft: --state must be one of sent, conditionally_accepted, accepted,"],
    [["order", "list", "--partner", "coop@knit.example"], "weft: --partner must be the co-op's actor URL"],
    [
      ["order", "ubl", id, "extra"],
      'weft: unexpected argument "extra" (usage: weft order ubl <id> [--out <file.xml>])',
    ],
  ])("weft %j exits 2 with one line", async ([args, message], { expect }) => {
    // Nothing runs on this port: a bad command line must fail before any request.
    const result = await weft(args, { PORT: String(await closedPort()), WEFT_DATA_DIR: await tempDir() });
    expect(result.stdout).toBe("");
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.startsWith(message), result.stderr).toBe(true);
    expect(result.code).toBe(2);
  });
});
