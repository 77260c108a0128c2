// The whole story from the issue, all through the pages, one browser
// context per person: the owner of a new node sets up their account from the
// link (as `weft user add` prints it); publishes an offer and a capacity; a
// member of the other co-op finds the capacity on the map (Find capacity,
// region filter), opens it, follows the co-op and orders from it; the seller
// proposes a change; the buyer accepts it; the seller ships; the buyer
// receives; both see the order completed. Every page through checkPage
// (story-NN-…); the screenshots illustrate docs/staff-guide.md.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, checkPage, newPerson, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { invite, setUp } from "./support.ts";

/** Reloads until `check` holds: the other node's news arrives when it arrives. */
async function reloadUntil(page: Page, check: () => Promise<boolean>): Promise<void> {
  await eventually(async () => {
    await page.reload();
    return await check();
  }, 60_000);
}

async function step(page: Page, name: string): Promise<void> {
  expect(pageProblems(await checkPage(page, `story-${name}`))).toEqual([]);
}

const nav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name, exact: true });

/** Joins a hub, as an owner does on the Hubs page; waits until the hub accepted. */
async function joinHub(node: TestNode, hub: TestNode): Promise<void> {
  const res = await node.api("POST", "/relays", { handle: `relay@${new URL(hub.origin).host}` });
  expect(res.status).toBe(202);
  await eventually(async () => (await node.api("GET", "/relays")).body.items[0]?.state === "accepted", 30_000);
}

describe.runIf(browserAvailable)(
  "the story: from a new node's first account to a completed order",
  {
    timeout: 600_000,
  },
  () => {
    const { browser } = useBrowser();
    let sewing: TestNode;
    let knitting: TestNode;

    beforeAll(async () => {
      // The region's hub, through which co-ops that do not follow each other
      // yet learn each other's public listings. Joining it is the Hubs page's
      // business (another section); here both co-ops join before the story.
      const hub = await startNode({ env: { WEFT_RELAY: "on", WEFT_NAME: "Carolina textile hub" } });
      sewing = await startNode({ handle: "catawba", env: { WEFT_NAME: "Catawba Sewing Co-op" } });
      knitting = await startNode({ handle: "burke", env: { WEFT_NAME: "Burke Knit Co-op" } });
      await joinHub(sewing, hub);
      await joinHub(knitting, hub);
    }, 180_000);

    it("goes from the set-up link to a completed order, every step a page", async () => {
      // The owner of the new node: the link `weft user add` printed.
      const ownerLink = await invite(sewing, "rosa@catawba.example", "owner");
      const owner = await newPerson(browser());
      const op = owner.page;
      await op.goto(ownerLink);
      await step(op, "01-set-up");
      await setUp(op, ownerLink, "Rosa Lima");
      await expect(op.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("What needs you now");
      await step(op, "02-home-new");

      // An offer, through the form.
      await nav(op, "Listings").click();
      await op.waitForURL(/\/app\/listings$/);
      await op.getByRole("link", { name: "New listing" }).click();
      await op.waitForURL(/\/app\/listings\/new$/);
      await op.getByLabel("Kind").selectOption("offer");
      await op.getByLabel("Title").fill("Organic cotton jersey, 180 gsm");
      await op.getByLabel("Category").fill("textile/fabric/knit");
      await op
        .getByLabel("Description (optional)")
        .fill("GOTS-certified single jersey, **undyed**, on 50-metre rolls.");
      await op.getByLabel("Quantity available (or wanted)").fill("500");
      await op.getByLabel("Unit of the quantity").selectOption({ label: "metres (MTR)" });
      await op.getByLabel("Minimum order (optional)").fill("50");
      await op.getByLabel("Price (optional)").fill("7.40");
      await op.getByLabel("Currency").selectOption("USD");
      await op.getByLabel("Price per").selectOption("MTR");
      await op.getByLabel("Country or region (optional)").fill("US-NC");
      await op.getByLabel("Everyone").check();
      await step(op, "03-new-offer");
      await op.getByRole("button", { name: "Publish" }).click();
      await op.waitForURL(/\/app\/listings\/[0-9a-f-]{36}$/);
      await expect(op.getByRole("status").first().textContent()).resolves.toContain("Published “Organic cotton jersey");
      await step(op, "04-offer-published");

      // A capacity: what the sewing line can take on, where it is.
      await nav(op, "Listings").click();
      await op.getByRole("link", { name: "New listing" }).click();
      await op.waitForURL(/\/app\/listings\/new$/);
      await op.getByLabel("Kind").selectOption("capacity");
      await op.getByLabel("Title").fill("Cut and sew line, February");
      await op.getByLabel("Category").fill("apparel/cut-and-sew");
      await op.getByLabel("Description (optional)").fill("Two lines, 12 machinists: T-shirts, tops and leggings.");
      await op.getByLabel("Rate (capacity only)").fill("2000");
      await op.getByLabel("Unit of the rate").selectOption({ label: "pieces (H87)" });
      await op.getByLabel("Per", { exact: true }).selectOption("P1W");
      await op.getByLabel("Minimum order (optional)").fill("200");
      await op.getByLabel("Price (optional)").fill("4.20");
      await op.getByLabel("Currency").selectOption("USD");
      await op.getByLabel("Price per").selectOption("H87");
      await op.getByLabel("Available from (optional)").fill("2027-02-01");
      await op.getByLabel("Available until (optional)").fill("2027-02-28");
      await op.getByLabel("Country or region (optional)").fill("US-NC");
      await op.getByLabel("Latitude (optional)").fill("35.745");
      await op.getByLabel("Longitude (optional)").fill("-81.685");
      await op.getByLabel("Everyone").check();
      await op.getByRole("button", { name: "Publish" }).click();
      await op.waitForURL(/\/app\/listings\/[0-9a-f-]{36}$/);
      await expect(op.locator("dl.terms").textContent()).resolves.toContain("2,000 pieces per week");
      await step(op, "05-capacity-published");
      await nav(op, "Listings").click();
      await op.waitForURL(/\/app\/listings$/);
      await expect(op.locator("table.listings tbody tr").count()).resolves.toBe(2);
      await step(op, "06-listings");

      // A member of the knitting co-op, set up from their own link.
      const buyerLink = await invite(knitting, "sam@burke.example", "member");
      const buyer = await newPerson(browser());
      const bp = buyer.page;
      await setUp(bp, buyerLink, "Sam Okafor");

      // Find capacity in North Carolina; the hub brought the listing here.
      await nav(bp, "Find capacity").click();
      await bp.waitForURL(/\/app\/search$/);
      await bp.getByLabel("Kind").selectOption("capacity");
      await bp.getByText("More filters: place, dates, quantity, price").click();
      await bp.getByLabel("Region").fill("US-NC");
      await bp.getByRole("button", { name: "Search" }).click();
      await bp.waitForURL(/\/app\/search\?.*region=US-NC/);
      await reloadUntil(bp, async () => (await bp.locator(".result").count()) > 0);
      const result = bp.locator(".result").filter({ hasText: "Cut and sew line, February" });
      await expect(result.textContent()).resolves.toContain("Catawba Sewing Co-op");
      await expect(result.textContent()).resolves.toContain("Through a hub");
      await step(bp, "07-find-capacity");

      // Its marker on the map opens the listing.
      await bp.locator("a.map-marker").first().click();
      await bp.waitForURL(/\/app\/listings\/[0-9a-f-]{36}$/);
      const listingUrl = bp.url();
      await expect(bp.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Cut and sew line, February");
      await expect(bp.getByRole("link", { name: /^Edit|^Withdraw/ }).count()).resolves.toBe(0);
      await step(bp, "08-partner-listing");

      // Follow the co-op from there; it accepts (no approval needed there).
      await bp.getByRole("button", { name: /^Follow this co-op/ }).click();
      await bp.waitForURL(listingUrl);
      await expect(bp.getByRole("status").first().textContent()).resolves.toMatch(/Follow request sent|You now follow/);
      await reloadUntil(bp, async () => (await bp.getByText("We follow Catawba Sewing Co-op").count()) > 0);
      await expect(bp.locator("dl.terms").getByRole("link", { name: "Catawba Sewing Co-op" }).count()).resolves.toBe(1);
      await step(bp, "09-following");

      // Order from there: 1,800 pieces, delivered to the knitting co-op.
      await bp.getByRole("link", { name: "Order from this listing" }).click();
      await bp.waitForURL(/\/app\/orders\/new\?listing=/);
      await bp.getByLabel("Quantity (pieces)").fill("1800");
      await bp.getByLabel("Deliver to: name").fill("Burke Knit Co-op");
      await bp.getByLabel("Deliver to: address (optional)").fill("200 Avery Ave\nMorganton, NC");
      await bp.getByLabel("Deliver to: region (optional)").fill("US-NC");
      await bp.getByLabel("Latest delivery (optional)").fill("2027-02-26");
      await bp
        .getByLabel("Note to the seller (optional)")
        .fill("Tops from our jersey; we deliver the fabric by 1 February.");
      await bp.getByRole("button", { name: "Check totals" }).click();
      await expect(bp.locator(".quote .order-total strong").textContent()).resolves.toBe("$7,560.00");
      await step(bp, "10-order-form");
      await bp.getByRole("button", { name: "Place order" }).click();
      await bp.waitForURL(/\/app\/orders\/[0-9a-f-]{36}$/);
      const buyerOrder = bp.url();
      await expect(bp.locator(".order-state .state").textContent()).resolves.toBe("Waiting for the seller");
      await step(bp, "11-order-sent");

      // The seller sees it on Home and proposes a smaller quantity.
      await nav(op, "Home").click();
      await op.waitForURL(/\/app$/);
      const answers = op.getByRole("region", { name: /Orders waiting for our answer/ });
      await reloadUntil(op, async () => (await answers.getByRole("listitem").count()) === 1);
      await step(op, "12-seller-home");
      await answers.getByRole("link", { name: "Order from Burke Knit Co-op" }).click();
      await op.waitForURL(/\/app\/orders\/[0-9a-f-]{36}$/);
      const sellerOrder = op.url();
      await expect(op.locator(".order-state .state").textContent()).resolves.toBe("Waiting for your answer");
      await step(op, "13-seller-order");
      const propose = op.locator('form[data-action="propose-changes"]');
      await propose.getByLabel("Quantity (pieces)").fill("1500");
      await propose.getByLabel("Note (optional)").fill("We can sew 1,500 in February; the rest in March.");
      await propose.getByRole("button", { name: "Send the proposed changes" }).click();
      await expect(op.getByText("Your proposed changes were sent to the buyer.").count()).resolves.toBe(1);
      await step(op, "14-seller-proposed");

      // The buyer agrees to the change.
      await bp.goto(buyerOrder);
      await reloadUntil(
        bp,
        async () => (await bp.getByText("The seller proposes changes: waiting for your answer").count()) > 0,
      );
      await expect(bp.locator(".pending li").textContent()).resolves.toBe(
        "Cut and sew line, February: 1,500 pieces (was 1,800 pieces)",
      );
      await step(bp, "15-buyer-proposal");
      await bp.getByRole("button", { name: "Agree to the changes" }).click();
      await expect(bp.locator(".order-state .state").textContent()).resolves.toBe("Accepted: waiting for delivery");
      await step(bp, "16-buyer-accepted");

      // The seller ships everything.
      await op.goto(sellerOrder);
      await reloadUntil(op, async () => (await op.getByText("Accepted: to ship").count()) > 0);
      const ship = op.locator('form[data-action="ship"]');
      await expect(ship.getByLabel("Quantity (pieces)").inputValue()).resolves.toBe("1500");
      await ship.getByLabel("Tracking reference (optional)").fill("1Z999AA10123456784");
      await step(op, "17-seller-ship");
      await ship.getByRole("button", { name: "Record the shipment" }).click();
      await expect(op.getByText("The shipment is recorded and the buyer is told.").count()).resolves.toBe(1);

      // The buyer receives it: completed.
      await reloadUntil(bp, async () => (await bp.locator('form[data-action="receive"]').count()) > 0);
      await step(bp, "18-buyer-shipped");
      await bp.locator('form[data-action="receive"]').getByRole("button", { name: "Record the delivery" }).click();
      await expect(bp.locator(".order-state .state").textContent()).resolves.toBe("Completed");
      await step(bp, "19-buyer-completed");

      // Both see it completed.
      await reloadUntil(op, async () => (await op.locator(".order-state .state").textContent()) === "Completed");
      await step(op, "20-seller-completed");
      await nav(bp, "Orders").click();
      await bp.waitForURL(/\/app\/orders$/);
      await expect(bp.getByRole("row").filter({ hasText: "Completed" }).count()).resolves.toBe(1);
      await step(bp, "21-buyer-orders");

      await owner.context.close();
      await buyer.context.close();
    });
  },
);
