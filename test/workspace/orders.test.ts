// Orders in the workspace, between two co-ops in real browsers: a buyer
// member orders from the seller's listing through the form (a bad quantity
// first), the seller proposes a change, the buyer agrees, the seller ships
// with tracking (too much first), the buyer receives; both pages end
// "Completed". At each step only the allowed action forms are on the page.
// The UBL downloads; a viewer sees no action forms and a forged post is refused.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNetwork, type TestNode } from "../support/network.ts";
import { jersey } from "../support/orders.ts";
import { csrfToken, personWithRole, postForm } from "./support.ts";

/** The action forms on the page, by action name. */
async function actionForms(page: Page): Promise<string[]> {
  return page
    .locator("form[data-action]")
    .evaluateAll((forms) => forms.map((f) => f.getAttribute("data-action") ?? ""));
}

/** Reloads until `check` holds: the other node's answer arrives when it arrives. */
async function reloadUntil(page: Page, check: () => Promise<boolean>): Promise<void> {
  await eventually(async () => {
    await page.reload();
    return await check();
  }, 60_000);
}

const hasText = (page: Page, text: string) => async () => (await page.getByText(text).count()) > 0;

describe.runIf(browserAvailable)("orders in the workspace", { timeout: 240_000 }, () => {
  const { browser } = useBrowser();
  let seller: TestNode;
  let buyer: TestNode;
  let listingIri: string;

  beforeAll(async () => {
    [seller, buyer] = (await startNetwork(2)) as [TestNode, TestNode];
    listingIri = (await seller.api("POST", "/listings", jersey)).body.iri;
    await buyer.api("POST", "/following", { handle: seller.account });
    await eventually(
      async () => (await buyer.api("GET", "/timeline")).body.items.some((l: any) => l.iri === listingIri),
      30_000,
    );
  }, 120_000);

  it("takes an order from the form to completed on both sides, with only the allowed actions at each step", async () => {
    const b = await personWithRole(browser(), buyer, "member");
    const s = await personWithRole(browser(), seller, "member");
    const bp = b.page;
    const sp = s.page;

    // The order form, from the seller's listing: its terms and the listing's price.
    await bp.goto(`${buyer.origin}/app/orders/new?listing=${encodeURIComponent(listingIri)}`);
    await expect(bp.getByRole("heading", { level: 2, name: "Organic cotton jersey" }).count()).resolves.toBe(1);
    await expect(bp.getByLabel("Unit price (USD per metre)").inputValue()).resolves.toBe("7.40");
    expect(pageProblems(await checkPage(bp, "orders-new"))).toEqual([]);

    // Too little: the message by the field, what was typed kept, nothing sent.
    await bp.getByLabel("Quantity (metres)").fill("20");
    await bp.getByLabel("Deliver to: name").fill("Burke Knit Co-op");
    await bp.getByLabel("Deliver to: address (optional)").fill("200 Avery Ave\nMorganton");
    await bp.getByLabel("Deliver to: region (optional)").fill("US-NC");
    await bp.getByLabel("Earliest delivery (optional)").fill("2027-02-01");
    await bp.getByLabel("Latest delivery (optional)").fill("2027-02-15");
    await bp.getByLabel("Note to the seller (optional)").fill("Please roll on cores.");
    const refused = bp.waitForResponse((r) => r.request().method() === "POST");
    await bp.getByRole("button", { name: "Place order" }).click();
    expect((await refused).status()).toBe(400);
    await expect(bp.locator(".field.invalid .error").textContent()).resolves.toBe(
      "Quantity is below the minimum order of 50.",
    );
    await expect(bp.getByLabel("Quantity (metres)").inputValue()).resolves.toBe("20");
    await expect(bp.getByLabel("Note to the seller (optional)").inputValue()).resolves.toBe("Please roll on cores.");
    expect((await buyer.api("GET", "/orders")).body.items).toEqual([]);
    expect(pageProblems(await checkPage(bp, "orders-new-error"))).toEqual([]);

    // The totals, computed by the server, before sending.
    await bp.getByLabel("Quantity (metres)").fill("200");
    await bp.getByRole("button", { name: "Check totals" }).click();
    await expect(bp.locator(".quote .order-total strong").textContent()).resolves.toBe("$1,480.00");
    expect((await buyer.api("GET", "/orders")).body.items).toEqual([]);
    expect(pageProblems(await checkPage(bp, "orders-new-totals"))).toEqual([]);

    await bp.getByRole("button", { name: "Place order" }).click();
    await bp.waitForURL(/\/app\/orders\/[^/]+$/);
    const buyerUrl = bp.url();
    const id = buyerUrl.split("/").at(-1) as string;
    await expect(bp.getByText("Your order was sent.").count()).resolves.toBe(1);
    await expect(bp.locator(".order-state .state").textContent()).resolves.toBe("Waiting for the seller");
    await expect(actionForms(bp)).resolves.toEqual(["cancel"]);
    const placed = (await buyer.api("GET", `/orders/${id}`)).body;
    expect(placed).toMatchObject({ total: "1480.00", deliverTo: { name: "Burke Knit Co-op", region: "US-NC" } });
    expect(pageProblems(await checkPage(bp, "orders-buyer-sent"))).toEqual([]);

    // The seller finds it in the list, waiting for an answer.
    await sp.goto(`${seller.origin}/app/orders`);
    await reloadUntil(sp, hasText(sp, "Waiting for your answer"));
    expect(pageProblems(await checkPage(sp, "orders-list"))).toEqual([]);
    await sp.getByRole("link", { name: /^From / }).click();
    await sp.waitForURL(/\/app\/orders\/[^/]+$/);
    const sellerUrl = sp.url();
    await expect(actionForms(sp)).resolves.toEqual(["accept", "reject", "propose-changes"]);
    expect(pageProblems(await checkPage(sp, "orders-seller-sent"))).toEqual([]);

    // Rejecting needs a reason: said by the field, nothing sent.
    await sp.getByRole("button", { name: "Reject the order" }).click();
    await expect(sp.locator('form[data-action="reject"] .error').textContent()).resolves.toBe("Give a reason.");
    await expect(sp.locator(".order-state .state").textContent()).resolves.toBe("Waiting for your answer");

    const propose = sp.locator('form[data-action="propose-changes"]');
    await propose.getByLabel("Quantity (metres)").fill("150");
    await propose.getByLabel("Note (optional)").fill("We can weave 150 metres by February.");
    await propose.getByRole("button", { name: "Send the proposed changes" }).click();
    await expect(sp.getByText("Your proposed changes were sent to the buyer.").count()).resolves.toBe(1);
    await expect(sp.locator(".order-state .state").textContent()).resolves.toBe(
      "Waiting for the buyer to agree to your changes",
    );
    await expect(actionForms(sp)).resolves.toEqual([]);
    expect(pageProblems(await checkPage(sp, "orders-seller-proposed"))).toEqual([]);

    // The buyer sees the proposal and agrees.
    await reloadUntil(bp, hasText(bp, "The seller proposes changes: waiting for your answer"));
    await expect(bp.locator(".pending li").textContent()).resolves.toBe(
      "Organic cotton jersey: 150 metres (was 200 metres)",
    );
    await expect(actionForms(bp)).resolves.toEqual(["accept-changes", "cancel"]);
    expect(pageProblems(await checkPage(bp, "orders-buyer-proposal"))).toEqual([]);
    await bp.getByRole("button", { name: "Agree to the changes" }).click();
    await expect(bp.locator(".order-state .state").textContent()).resolves.toBe("Accepted: waiting for delivery");
    await expect(actionForms(bp)).resolves.toEqual(["change", "cancel"]);

    // The seller ships: too much is refused with the reason, the typed values kept.
    await reloadUntil(sp, hasText(sp, "Accepted: to ship"));
    await expect(actionForms(sp)).resolves.toEqual(["ship"]);
    const ship = sp.locator('form[data-action="ship"]');
    await expect(ship.getByLabel("Quantity (metres)").inputValue()).resolves.toBe("150");
    await ship.getByLabel("Quantity (metres)").fill("999");
    await ship.getByLabel("Tracking reference (optional)").fill("1Z999AA1");
    const tooMuch = sp.waitForResponse((r) => r.request().method() === "POST");
    await ship.getByRole("button", { name: "Record the shipment" }).click();
    expect((await tooMuch).status()).toBe(409);
    await expect(sp.locator(".action .problem").textContent()).resolves.toContain(
      "Not done: Organic cotton jersey (line 1): more than ordered and not yet shipped (150).",
    );
    await expect(ship.getByLabel("Tracking reference (optional)").inputValue()).resolves.toBe("1Z999AA1");
    await expect(ship.getByLabel("Quantity (metres)").inputValue()).resolves.toBe("999");
    expect(pageProblems(await checkPage(sp, "orders-seller-ship-refused"))).toEqual([]);
    await ship.getByLabel("Quantity (metres)").fill("150");
    await ship.getByRole("button", { name: "Record the shipment" }).click();
    await expect(sp.getByText("The shipment is recorded and the buyer is told.").count()).resolves.toBe(1);
    await expect(actionForms(sp)).resolves.toEqual([]);

    // The buyer receives everything: completed.
    await reloadUntil(bp, async () => (await actionForms(bp)).includes("receive"));
    await expect(actionForms(bp)).resolves.toEqual(["change", "cancel", "receive"]);
    expect(pageProblems(await checkPage(bp, "orders-buyer-shipped"))).toEqual([]);
    await bp.locator('form[data-action="receive"]').getByRole("button", { name: "Record the delivery" }).click();
    await expect(bp.locator(".order-state .state").textContent()).resolves.toBe("Completed");
    await expect(actionForms(bp)).resolves.toEqual([]);
    await expect(
      bp.getByText("shipped 150 metres of Organic cotton jersey (tracking reference 1Z999AA1)").count(),
    ).resolves.toBe(1);
    await expect(
      bp.getByText("Test co-op 1 accepted the order with changes: Organic cotton jersey: 150 metres.").count(),
    ).resolves.toBe(1);
    await expect(bp.locator(".timeline .reason").allTextContents()).resolves.toEqual([
      "Note: We can weave 150 metres by February.",
    ]);
    expect(pageProblems(await checkPage(bp, "orders-buyer-completed"))).toEqual([]);

    await sp.goto(sellerUrl);
    await reloadUntil(sp, async () => (await sp.locator(".order-state .state").textContent()) === "Completed");
    await expect(actionForms(sp)).resolves.toEqual([]);
    expect(pageProblems(await checkPage(sp, "orders-seller-completed"))).toEqual([]);

    // The list filters by side and state.
    await bp.goto(`${buyer.origin}/app/orders?role=buyer&state=completed`);
    await expect(bp.getByRole("row").filter({ hasText: "Completed" }).count()).resolves.toBe(1);
    await bp.goto(`${buyer.origin}/app/orders?role=seller`);
    await expect(bp.getByText("No order matches these filters.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(bp, "orders-list-empty"))).toEqual([]);

    // The UBL document downloads as an attachment.
    const ubl = await bp.request.get(`${buyer.origin}/app/orders/${id}/ubl`);
    expect(ubl.status()).toBe(200);
    expect(ubl.headers()["content-type"]).toMatch(/^application\/xml/);
    expect(ubl.headers()["content-disposition"]).toMatch(/^attachment; filename="order-/);
    expect(await ubl.text()).toContain("Organic cotton jersey");

    await b.close();
    await s.close();
  });

  it("shows a viewer the order without action forms, and refuses a viewer's forged action", async () => {
    // A new order, which a member could cancel now.
    const placed = await buyer.api("POST", "/orders", {
      lines: [
        {
          listing: listingIri,
          quantity: { amount: "60", unit: "MTR" },
          unitPrice: { amount: "7.40", currency: "USD" },
        },
      ],
    });
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order.allowedActions).toEqual(["cancel"]);
    const viewer = await personWithRole(browser(), buyer, "viewer", 375);
    const { page } = viewer;
    await page.goto(`${buyer.origin}/app/orders/${order.id}`);
    await expect(page.getByText("You can read this order").count()).resolves.toBe(1);
    await expect(actionForms(page)).resolves.toEqual([]);
    expect(pageProblems(await checkPage(page, "orders-viewer"))).toEqual([]);
    const status = await postForm(page, `/app/orders/${order.id}/cancel`, {
      _csrf: await csrfToken(page),
      reason: "forged",
    });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Your role in this workspace is viewer");
    expect((await buyer.api("GET", `/orders/${order.id}`)).body.version).toBe(order.version);
    await viewer.close();
  });
});
