// Every HTML page carries the security headers (a content security policy
// without inline script or style, no framing, a referrer policy, nosniff),
// JSON for other servers does not need them; and in a real browser the pages
// of the public site, the workspace and the API docs run under that policy
// without one violation (an inline style or script the policy refuses would
// show as a `securitypolicyviolation` event or a console error).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../src/http/security-headers.ts";
import { browserAvailable, useBrowser } from "../support/browser.ts";
import { startNode } from "../support/network.ts";
import { personWithRole } from "../workspace/support.ts";

const listing = {
  kind: "offer",
  title: "Organic cotton jersey",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  price: { amount: "7.40", currency: "EUR", per: "MTR" },
  region: "FR-ARA",
  location: { lat: 45.76, lon: 4.84 },
  visibility: "public",
};

describe("security headers", () => {
  it("are on every HTML page and not on the JSON served to other servers", async () => {
    const node = await startNode();
    const created = await node.api("POST", "/listings", listing);
    for (const path of ["/", `/listings/${created.body.id}`, "/login", "/api/v1/docs"]) {
      const response = await node.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(response.headers.get("content-security-policy"), path).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("same-origin");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(await response.text(), path).not.toMatch(/<script>|<style|style="/);
    }
    const actor = await node.get(`/coops/${node.handle}`, { accept: "application/activity+json" });
    expect(actor.headers.get("content-type")).toMatch(/json/);
    expect(actor.headers.get("content-security-policy")).toBeNull();
    expect(actor.headers.get("cross-origin-resource-policy")).toBeNull();
  });
});

/** Collects the policy violations a page reports, from the event and from the console. */
async function watchViolations(page: Page): Promise<string[]> {
  const found: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  await page.exposeFunction("reportViolation", (text: string) => found.push(text));
  // An init script is injected by the browser itself, so the policy does not stop it.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportViolation(t: string): void }).reportViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`,
      );
    });
  });
  return found;
}

describe.runIf(browserAvailable)("the pages under the content security policy", () => {
  const { browser } = useBrowser();

  it("show the public site, the workspace and the API docs with no violation", async () => {
    const node = await startNode();
    const created = await node.api("POST", "/listings", listing);
    const owner = await personWithRole(browser(), node, "owner");
    try {
      const violations = await watchViolations(owner.page);
      const paths = [
        "/",
        `/listings/${created.body.id}`,
        "/app",
        "/app/listings",
        "/app/listings/new",
        `/app/listings/${created.body.id}`,
        `/app/listings/${created.body.id}/edit`,
        "/app/search",
        "/app/partners",
        "/app/orders",
        "/app/settings",
        "/api/v1/docs",
      ];
      for (const path of paths) {
        const response = await owner.page.goto(`${node.origin}${path}`, { waitUntil: "load" });
        expect(response?.status(), path).toBe(200);
        // The page's own stylesheet applied: the body is not in the browser's default serif.
        const font = await owner.page.evaluate(() => getComputedStyle(document.body).fontFamily);
        expect(font, path).not.toMatch(/^"?Times/);
      }
      // The location picker's script (an external file) ran: it is allowed, and it is the one script.
      await owner.page.goto(`${node.origin}/app/listings/new`, { waitUntil: "load" });
      expect(violations).toEqual([]);
    } finally {
      await owner.close();
    }
  });
});
