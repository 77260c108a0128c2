// The co-op's public pages in a real browser: the public page with its
// public listings, a listing's page, and a hostile listing from a partner
// shown harmless; readable at both widths, no serious accessibility problem.
import { signRequest } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, newPerson, pageProblems, useBrowser } from "../support/browser.ts";
import { FEP0837_CONTEXT } from "../support/fixtures.ts";
import { eventually, startNetwork, startNode, type TestNode } from "../support/network.ts";

const jersey = {
  kind: "offer",
  title: "Organic cotton jersey, 180 gsm",
  description: "Soft **organic** jersey, dyed with plants.",
  category: "textile/fabric/knit",
  quantity: { amount: "5000", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "USD", per: "MTR" },
  region: "US-NC",
  location: { lat: 35.745, lon: -81.685 },
  availableFrom: "2027-01-04",
  availableUntil: "2099-03-31",
  visibility: "public",
};

/** POSTs an activity to `target`'s inbox signed with `signer`'s real key, as a partner's node would. */
async function deliverSigned(signer: TestNode, target: TestNode, activity: object): Promise<number> {
  const [rsa] = signer.node.deps.services.keyPairs;
  const request = new Request(`${target.origin}/inbox`, {
    method: "POST",
    headers: { "content-type": "application/activity+json" },
    body: JSON.stringify({ "@context": FEP0837_CONTEXT, ...activity }),
  });
  const res = await fetch(await signRequest(request, rsa!.privateKey, new URL(`${signer.actorUrl}#main-key`)));
  return res.status;
}

describe.runIf(browserAvailable)("the public pages in a browser", () => {
  const { browser } = useBrowser();

  it("shows the co-op's name, handle and public listings, not its followers-only ones", async () => {
    const node = await startNode();
    expect((await node.api("POST", "/listings", jersey)).status).toBe(201);
    const capacity = {
      ...jersey,
      kind: "capacity",
      title: "Cut-and-sew line, 2,000 pieces a week",
      category: "apparel/cut-and-sew",
      quantity: null,
      minimumOrder: null,
      price: null,
      rate: { amount: "2000", unit: "H87", per: "P1W" },
    };
    expect((await node.api("POST", "/listings", capacity)).status).toBe(201);
    const secret = { ...jersey, title: "Undyed yarn for followers only", visibility: "followers" };
    expect((await node.api("POST", "/listings", secret)).status).toBe(201);

    const { context, page } = await newPerson(browser());
    await page.goto(node.origin);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(node.config.name);
    await expect(page.getByText(`coop@${new URL(node.origin).host}`).count()).resolves.toBe(1);
    const titles = await page.locator(".card h3 a").allTextContents();
    expect(titles.sort()).toEqual([capacity.title, jersey.title].sort());
    await expect(page.getByText("Undyed yarn").count()).resolves.toBe(0);
    // Units by name, the price in its currency, the window as dates.
    const card = page.locator(".card", { hasText: jersey.title });
    await expect(card.textContent()).resolves.toMatch(/5,000 metres[\s\S]*50 metres[\s\S]*\$7\.40 \(USD\) per metre/);
    await expect(page.locator(".card", { hasText: capacity.title }).textContent()).resolves.toContain(
      "2,000 pieces per week",
    );
    expect(pageProblems(await checkPage(page, "public-home"))).toEqual([]);

    await page.getByRole("link", { name: jersey.title }).click();
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(jersey.title);
    await expect(page.locator(".description strong").textContent()).resolves.toBe("organic");
    await expect(page.locator("figure.map a.map-marker").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "public-listing"))).toEqual([]);
    // The stylesheet comes from the node; nothing is loaded from elsewhere.
    const css = await fetch(`${node.origin}/assets/site.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    await context.close();
  });

  it("shows a hostile listing received from a partner as harmless text", async () => {
    const [partner, us] = (await startNetwork(2)) as [TestNode, TestNode];
    await us.api("POST", "/following", { handle: partner.account });
    await eventually(async () =>
      (await us.api("GET", "/following")).body.items.some((f: any) => f.state === "accepted"),
    );
    const iri = `${partner.origin}/listings/00000000-0000-4000-8000-0000000000ff`;
    // One endless word (it must wrap, not widen the page) and many paragraphs.
    const huge = `<p>${"Wooooooooooooooooooooooooooooooooooool".repeat(100)}</p>${"<p>Filler paragraph.</p>".repeat(40)}`;
    const hostile = {
      id: `${iri}#create`,
      type: "Create",
      actor: partner.actorUrl,
      to: "https://www.w3.org/ns/activitystreams#Public",
      object: {
        id: iri,
        type: "Proposal",
        attributedTo: partner.actorUrl,
        to: "https://www.w3.org/ns/activitystreams#Public",
        purpose: "offer",
        name: 'Hostile <script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> jersey',
        content:
          '<script>window.pwned = 3</script><a href="javascript:window.pwned = 4">Click me</a>' +
          '<img src="x" onerror="window.pwned = 5"><p style="position:fixed;inset:0" onclick="window.pwned = 6">Hi</p>' +
          `<iframe src="https://evil.example"></iframe>${huge}`,
        location: { type: "Place", name: "US-NC", latitude: 35.6, longitude: -82.55 },
      },
    };
    expect(await deliverSigned(partner, us, hostile)).toBe(202);
    const stored = await eventually(async () =>
      (await us.api("GET", "/timeline")).body.items.find((l: any) => l.title.startsWith("Hostile")),
    );

    const { context, page } = await newPerson(browser());
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const outside: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(us.origin)) outside.push(r.url());
    });
    const res = await page.goto(`${us.origin}/listings/${stored.id}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/^Hostile .*jersey$/);
    await page.getByText("Click me").click();
    await page.getByText("Hi", { exact: true }).click();
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
    expect(await page.locator("script, iframe, img, [onclick], [onerror], [style]").count()).toBe(0);
    expect(await page.locator('[href^="javascript:" i]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(outside).toEqual([]);
    // Who sent it is said, and the page still fits a phone.
    await expect(page.locator(".byline").textContent()).resolves.toContain("a partner of");
    expect(pageProblems(await checkPage(page, "partner-listing-hostile"))).toEqual([]);
    await context.close();
  });

  it("answers 404 for listings nobody may see publicly", async () => {
    const node = await startNode();
    const secret = await node.api("POST", "/listings", { ...jersey, visibility: "followers" });
    const page = await fetch(`${node.origin}/listings/${secret.body.id}`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(jersey.title);
  });
});
