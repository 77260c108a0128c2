// Partners, Find capacity and Matches in a real browser, across real nodes:
// follow by handle through the form and see it accepted; a bad handle is
// explained by the field; approve a request on a node that holds follows
// for approval; find a partner's capacity by region, on the map, unfollow
// with the confirmation page and follow again from a result; a bad filter
// is explained by its field; matches for a need, marked as seen; a viewer
// sees no buttons and a forged post is refused. Every page through axe at
// both widths.
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNetwork, startNode, type TestNode } from "../support/network.ts";
import { csrfToken, personWithRole, postForm } from "./support.ts";

const FEBRUARY = { availableFrom: "2027-02-01", availableUntil: "2027-02-28" };

const sewing = {
  kind: "capacity",
  title: "Cut and sew line, February",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
  location: { lat: 35.745, lon: -81.685 },
  ...FEBRUARY,
};

const need = {
  kind: "need",
  title: "Need 3000 tops sewn",
  category: "apparel/cut-and-sew",
  quantity: { amount: "3000", unit: "H87" },
  region: "US-NC",
  ...FEBRUARY,
};

async function following(node: TestNode, other: TestNode): Promise<string | undefined> {
  const items = (await node.api("GET", "/following")).body.items as any[];
  return items.find((f) => f.actor.iri === other.actorUrl)?.state;
}

describe.runIf(browserAvailable)("partners, find capacity and matches", { timeout: 240_000 }, () => {
  const { browser } = useBrowser();
  let knit: TestNode;
  let sew: TestNode;
  let sewingIri: string;

  beforeAll(async () => {
    [knit, sew] = (await startNetwork(2)) as [TestNode, TestNode];
    const published = await sew.api("POST", "/listings", sewing);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    sewingIri = published.body.iri;
  }, 120_000);

  it("follows by handle through the form, explains a bad handle by the field, and finds the capacity by region and on the map", async () => {
    const member = await personWithRole(browser(), knit, "member");
    const { page } = member;
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Partners" }).click();
    await page.waitForURL(/\/app\/partners$/);
    await expect(page.getByText("We follow no co-op yet.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "partners-empty"))).toEqual([]);

    await page.getByLabel("Co-op to follow").fill("not a handle");
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await expect(page.locator("#f-handle-error").textContent()).resolves.toContain("is not a handle like");
    await expect(page.getByLabel("Co-op to follow").inputValue()).resolves.toBe("not a handle");
    expect(pageProblems(await checkPage(page, "partners-follow-error"))).toEqual([]);
    expect((await knit.api("GET", "/following")).body.items).toEqual([]);

    await page.getByLabel("Co-op to follow").fill(sew.account);
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await page.waitForURL(/\/app\/partners$/);
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/Follow request sent|You now follow/);
    await eventually(async () => (await following(knit, sew)) === "accepted");
    await page.reload();
    await expect(page.getByText("Following: they accepted").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "partners-following"))).toEqual([]);

    // Find capacity: by region and kind, through the form.
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Find capacity" }).click();
    await page.waitForURL(/\/app\/search$/);
    await page.getByLabel("Kind").selectOption("capacity");
    await page.getByText("More filters: place, dates, quantity, price").click();
    await page.getByLabel("Region").fill("US-NC");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/app\/search\?.*region=US-NC/);
    // The partner's listings arrive after the Accept (backfill): look again until they are here.
    await eventually(async () => {
      if ((await page.locator(".result").count()) > 0) return true;
      await page.reload();
      return false;
    }, 30_000);
    const result = page.locator(".result").filter({ hasText: "Cut and sew line, February" });
    await expect(result.textContent()).resolves.toContain("2,000 pieces per week");
    // The result and its marker open the partner's listing inside the workspace.
    const listingHref = await result
      .getByRole("link", { name: "Cut and sew line, February", exact: true })
      .getAttribute("href");
    expect(listingHref).toMatch(/^\/app\/listings\/[0-9a-f-]{36}$/);
    await expect(page.locator(`a.map-marker[href="${listingHref}"]`).count()).resolves.toBe(1);
    await expect(result.getByRole("link", { name: /^Order/ }).getAttribute("href")).resolves.toBe(
      `/app/orders/new?listing=${encodeURIComponent(sewingIri)}`,
    );
    await expect(result.getByText(/^We follow/).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "search-results"))).toEqual([]);

    // Another region finds nothing, and says so.
    await page.goto(`${knit.origin}/app/search?region=US-CA`);
    await expect(
      page.getByText("Nothing this node knows matches these filters.", { exact: false }).count(),
    ).resolves.toBe(1);

    // A bad filter keeps what was typed and says why next to it.
    const bad = await page.goto(`${knit.origin}/app/search?radiusKm=50&from=2027-03-01&until=2027-02-01`);
    expect(bad?.status()).toBe(400);
    await expect(page.locator("#f-radiusKm-error").textContent()).resolves.toBe("needs a place to measure from (Near)");
    await expect(page.locator("#f-until-error").textContent()).resolves.toBe("must not be before the From date");
    await expect(page.getByLabel("Within (km)").inputValue()).resolves.toBe("50");
    expect(pageProblems(await checkPage(page, "search-bad-filter"))).toEqual([]);

    // The partner's page: its listing, and no order yet.
    await page.goto(`${knit.origin}/app/partners`);
    await page.locator("table").getByRole("link").first().click();
    await page.waitForURL(/\/app\/partners\/[0-9a-f-]{36}$/);
    await expect(page.getByText(sew.account).count()).resolves.toBeGreaterThan(0);
    const partnerUrl = page.url();
    await expect(
      page.getByRole("link", { name: "Cut and sew line, February", exact: true }).getAttribute("href"),
    ).resolves.toBe(listingHref);
    await expect(page.getByText("No order between us yet.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "partner"))).toEqual([]);

    // The partner's listing in the workspace: its terms in words, where it comes from, order from it; not ours to edit.
    await page.getByRole("link", { name: "Cut and sew line, February", exact: true }).click();
    await page.waitForURL((url) => url.pathname === listingHref);
    const terms = page.locator("dl.terms");
    await expect(terms.textContent()).resolves.toContain("2,000 pieces per week");
    await expect(terms.textContent()).resolves.toContain("US-NC (United States)");
    await expect(terms.getByRole("link", { name: sew.config.name }).getAttribute("href")).resolves.toBe(
      new URL(partnerUrl).pathname,
    );
    await expect(page.locator("main svg").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole("link", { name: "Order from this listing" }).getAttribute("href")).resolves.toBe(
      `/app/orders/new?listing=${encodeURIComponent(sewingIri)}`,
    );
    await expect(page.getByText(`We follow ${sew.config.name}`, { exact: false }).count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: /^Follow/ }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: /^Edit|^Withdraw/ }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "listing-received"))).toEqual([]);
    // Its edit and withdraw pages do not exist for us.
    expect((await page.goto(`${knit.origin}${listingHref}/edit`))?.status()).toBe(404);
    expect((await page.goto(`${knit.origin}${listingHref}/withdraw`))?.status()).toBe(404);
    await member.close();
  });

  it("unfollows after a confirmation page, then follows again from a search result", async () => {
    const member = await personWithRole(browser(), knit, "member", 375);
    const { page } = member;
    await page.goto(`${knit.origin}/app/partners`);
    await page.getByRole("link", { name: /^Unfollow/ }).click();
    await page.waitForURL(/\/unfollow$/);
    expect(pageProblems(await checkPage(page, "partners-unfollow-confirm"))).toEqual([]);
    await page.getByRole("button", { name: "Yes, unfollow" }).click();
    await page.waitForURL(/\/app\/partners$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("You no longer follow");
    expect(await following(knit, sew)).toBeUndefined();

    // Its listing is still known: the result offers to follow its co-op.
    await page.goto(`${knit.origin}/app/search?q=sew`);
    const result = page.locator(".result").filter({ hasText: "Cut and sew line, February" });
    await result.getByRole("button", { name: /^Follow/ }).click();
    await page.waitForURL(/\/app\/search\?q=sew$/);
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/Follow request sent|You now follow/);
    await eventually(async () => (await following(knit, sew)) === "accepted");
    await page.reload();
    await expect(result.getByRole("button", { name: /^Follow/ }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "search-followed"))).toEqual([]);
    await member.close();
  });

  it("approves a follow request on a node that holds follows for approval", async () => {
    const careful = await startNode({ env: { WEFT_FOLLOW_APPROVAL: "manual" } });
    await knit.api("POST", "/following", { handle: careful.account });
    await eventually(async () => (await careful.api("GET", "/followers?state=pending")).body.items.length === 1);
    const owner = await personWithRole(browser(), careful, "owner");
    const { page } = owner;
    await page.goto(`${careful.origin}/app/partners`);
    const requests = page.getByRole("region", { name: /Requests waiting for your answer/ });
    await expect(requests.getByText("Waiting for your answer", { exact: true }).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "partners-request"))).toEqual([]);
    await requests.getByRole("button", { name: /^Approve/ }).click();
    await page.waitForURL(/\/app\/partners$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("now follows us");
    await expect(
      page
        .getByRole("region", { name: /Co-ops following us/ })
        .getByText("Follows us")
        .count(),
    ).resolves.toBe(1);
    await eventually(async () => (await following(knit, careful)) === "accepted");

    // Another request, rejected: the requester learns it.
    await sew.api("POST", "/following", { handle: careful.account });
    await eventually(async () => (await careful.api("GET", "/followers?state=pending")).body.items.length === 1);
    await page.reload();
    await requests.getByRole("button", { name: /^Reject/ }).click();
    await page.waitForURL(/\/app\/partners$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("was refused");
    await eventually(async () => (await following(sew, careful)) === "rejected");

    // Removing an accepted follower asks first, then tells it.
    await page.getByRole("link", { name: /^Remove/ }).click();
    await page.waitForURL(/\/remove$/);
    await page.getByRole("button", { name: "Yes, remove" }).click();
    await page.waitForURL(/\/app\/partners$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("no longer follows us");
    expect((await careful.api("GET", "/followers")).body.items).toEqual([]);
    await eventually(async () => (await following(knit, careful)) === "rejected");
    await owner.close();
  });

  it("shows matches for a need with the reasons, and marks them as seen", async () => {
    const published = await knit.api("POST", "/listings", need);
    expect(published.status).toBe(201);
    const member = await personWithRole(browser(), knit, "member");
    const { page } = member;
    await page.goto(`${knit.origin}/app/matches`);
    const ours = page.getByRole("region", { name: /For our needs/ });
    const match = ours.locator("li.match").filter({ hasText: "Cut and sew line, February" });
    await expect(match.locator(".badge").textContent()).resolves.toBe("New");
    await expect(match.locator(".reasons").textContent()).resolves.toContain("apparel/cut-and-sew");
    expect(pageProblems(await checkPage(page, "matches"))).toEqual([]);
    await page.getByRole("button", { name: "Mark all as seen" }).click();
    await page.waitForURL(/\/app\/matches$/);
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/^Marked (one match|\d+ matches) as seen\.$/);
    await expect(page.locator(".badge").count()).resolves.toBe(0);
    expect((await knit.api("GET", "/matches?new=true")).body.items).toEqual([]);
    await member.close();
  });

  it("shows a viewer no buttons to act, and refuses a viewer's forged posts", async () => {
    const viewer = await personWithRole(browser(), knit, "viewer", 375);
    const { page } = viewer;
    await page.goto(`${knit.origin}/app/partners`);
    await expect(page.getByLabel("Co-op to follow").count()).resolves.toBe(0);
    await expect(page.locator("main").getByRole("button").count()).resolves.toBe(0);
    await expect(
      page
        .locator("main")
        .getByRole("link", { name: /^Unfollow|^Remove/ })
        .count(),
    ).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "partners-viewer"))).toEqual([]);
    await page.goto(`${knit.origin}/app/search?q=sew`);
    await expect(page.locator(".result").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator(".result").getByRole("button").count()).resolves.toBe(0);
    await expect(
      page
        .locator(".result")
        .getByRole("link", { name: /^Order/ })
        .count(),
    ).resolves.toBe(0);
    await page.goto(`${knit.origin}/app/matches`);
    await expect(page.locator("main").getByRole("button").count()).resolves.toBe(0);

    const before = (await knit.api("GET", "/following")).body.items.length;
    const token = await csrfToken(page);
    const status = await postForm(page, "/app/partners/follow", { _csrf: token, handle: "coop@elsewhere.example" });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Your role in this workspace is viewer");
    expect((await knit.api("GET", "/following")).body.items.length).toBe(before);
    await page.goto(`${knit.origin}/app/matches`);
    expect(await postForm(page, "/app/matches/seen", { _csrf: await csrfToken(page) })).toBe(403);

    const unfollowPage = await page.goto(
      `${knit.origin}/app/partners/following/00000000-0000-4000-8000-000000000000/unfollow`,
    );
    expect(unfollowPage?.status()).toBe(403);

    // A partner page that does not exist says so in words.
    const missing = await page.goto(`${knit.origin}/app/partners/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("We neither follow this co-op");
    await viewer.close();
  });
});
