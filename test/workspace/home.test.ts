// Home, "what needs me now", with real trade between two nodes: an order
// waiting for the seller's answer, an accepted order overdue for delivery,
// and the buyer's view of its partner's newest listings (escaped as text).
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually } from "../support/network.ts";
import { jersey, openMarket, orderBody, orderOn } from "../support/orders.ts";
import { personWithRole } from "./support.ts";

describe.runIf(browserAvailable)("Home in the workspace", () => {
  const { browser } = useBrowser();

  it("shows the seller what to answer and deliver, and the buyer its partners' newest listings", async () => {
    const market = await openMarket();
    const { seller, buyer } = market;
    const tricky = (await seller.api("POST", "/listings", { ...jersey, title: "Dye <script>alert(1)</script> & lots" }))
      .body;
    const waiting = (await buyer.api("POST", "/orders", orderBody(market))).body;
    const late = (
      await buyer.api(
        "POST",
        "/orders",
        orderBody(market, { deliveryWindow: { from: "2020-01-01", until: "2020-01-10" } }),
      )
    ).body;
    expect(late.state).toBe("sent");
    const sellerLate = await eventually(() => orderOn(seller, late.iri));
    await eventually(() => orderOn(seller, waiting.iri));
    expect((await seller.api("POST", `/orders/${sellerLate.id}/accept`, {})).status).toBe(200);
    await eventually(async () => (await orderOn(buyer, late.iri))?.state === "accepted");

    const sellerPerson = await personWithRole(browser(), seller, "member");
    const page = sellerPerson.page;
    const answers = page.getByRole("region", { name: /Orders waiting for our answer/ });
    await expect(answers.getByRole("listitem").count()).resolves.toBe(1);
    await expect(answers.textContent()).resolves.toContain(`Order from ${buyer.config.name}`);
    await expect(answers.textContent()).resolves.toContain("New order: accept, reject or propose changes");
    const due = page.getByRole("region", { name: /Deliveries due this week/ });
    await expect(due.textContent()).resolves.toContain(`Ship to ${buyer.config.name}`);
    await expect(due.textContent()).resolves.toContain("Overdue since 2020-01-10");
    await expect(due.textContent()).resolves.toContain("200 MTR Organic cotton jersey");
    expect(pageProblems(await checkPage(page, "home-seller"))).toEqual([]);
    await sellerPerson.close();

    const buyerPerson = await personWithRole(browser(), buyer, "viewer");
    await eventually(async () =>
      (await buyer.api("GET", "/timeline")).body.items.some((l: any) => l.iri === tricky.iri),
    );
    await buyerPerson.page.reload();
    const newest = buyerPerson.page.getByRole("region", { name: /Partners' newest listings/ });
    await expect(newest.getByRole("link", { name: "Dye & lots", exact: true }).count()).resolves.toBe(1);
    // It opens inside the workspace; a viewer reads it with no button to act.
    await newest.getByRole("link", { name: "Dye & lots", exact: true }).click();
    await buyerPerson.page.waitForURL(/\/app\/listings\/[0-9a-f-]{36}$/);
    await expect(buyerPerson.page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/^Dye\s+& lots$/);
    await expect(buyerPerson.page.locator("dl.terms").textContent()).resolves.toContain(seller.config.name);
    await expect(buyerPerson.page.locator("main").getByRole("button").count()).resolves.toBe(0);
    await expect(
      buyerPerson.page
        .locator("main")
        .getByRole("link", { name: /^Order|^Edit|^Withdraw/ })
        .count(),
    ).resolves.toBe(0);
    expect(pageProblems(await checkPage(buyerPerson.page, "home-partner-listing"))).toEqual([]);
    await buyerPerson.page.goto(`${buyer.origin}/app`);
    const due2 = buyerPerson.page.getByRole("region", { name: /Deliveries due this week/ });
    await expect(due2.textContent()).resolves.toContain(`Receive from ${seller.config.name}`);
    expect(pageProblems(await checkPage(buyerPerson.page, "home-buyer"))).toEqual([]);
    await buyerPerson.close();
  }, 90_000); // two nodes, two orders and two browser sessions
});
