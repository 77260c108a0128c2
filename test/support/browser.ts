// Browser tests: Debian's Chromium driven by playwright-core (never a
// downloaded browser), axe-core run inside the page, and screenshots of every
// page at a phone's width and a desktop's, written to test-results/screenshots
// (git-ignored) so a person can look at what the pages show.
//
// Without Chromium a developer's run skips these tests after one line from
// global-setup saying how to install it; on CI (CI=true) a missing Chromium
// fails the run instead.

import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, vi } from "vitest";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

export const MISSING_CHROMIUM =
  "Browser tests skipped: Chromium not found. Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).";

/** True when this run must run the browser tests (Chromium present, or CI, where its absence is an error). */
export const browserAvailable = chromiumPath() !== undefined || process.env.CI === "true";

export const SCREENSHOT_DIR = join(import.meta.dirname, "..", "..", "test-results", "screenshots");
export const WIDTHS = [375, 1280] as const;

/** The outer limit of one browser test: generous, since tests wait on page state, never on time. */
export const BROWSER_TEST_TIMEOUT_MS = 300_000;

/**
 * One Chromium per test file, closed after it. Use with
 * `describe.runIf(browserAvailable)(…)` and call inside that describe.
 */
export function useBrowser(): { browser: () => Browser } {
  // A page test walks through several pages with a browser and one or more
  // nodes: on a busy CI machine that takes minutes, not the default 30 s.
  vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT_MS, hookTimeout: BROWSER_TEST_TIMEOUT_MS });
  let browser: Browser | undefined;
  beforeAll(async () => {
    const executablePath = chromiumPath();
    if (!executablePath) throw new Error(MISSING_CHROMIUM.replace("skipped", "cannot run on CI"));
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    browser: () => {
      if (!browser) throw new Error("the browser is not started yet");
      return browser;
    },
  };
}

/** A fresh browser context (its own cookies) with a page, as one person on one device. */
export async function newPerson(browser: Browser, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "en-US" });
  const page = await context.newPage();
  return { context, page };
}

let axeSource: Promise<string> | undefined;

function loadAxe(): Promise<string> {
  const require = createRequire(import.meta.url);
  axeSource ??= readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => "axe" in window);
  // Evaluated, not added as a <script>: the pages' policy refuses inline scripts.
  if (!hasAxe) await page.evaluate(await loadAxe());
  const violations = (await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Is anything wider than the viewport (a page that scrolls sideways on a phone)? */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

export interface PageCheck {
  width: number;
  screenshot: string;
  violations: AxeViolation[];
  overflows: boolean;
}

/**
 * Screenshots the page at both widths and checks it with axe at each:
 * returns what was found, so the test asserts it (and names the page in
 * the failure).
 */
export async function checkPage(page: Page, name: string): Promise<PageCheck[]> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  const checks: PageCheck[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const screenshot = join(SCREENSHOT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    checks.push({
      width,
      screenshot,
      violations: await seriousViolations(page),
      overflows: await overflowsHorizontally(page),
    });
  }
  if (original) await page.setViewportSize(original);
  return checks;
}

/** A readable summary of what checkPage() found wrong, empty when nothing. */
export function pageProblems(checks: PageCheck[]): string[] {
  return checks.flatMap((c) => [
    ...c.violations.map(
      (v) => `${c.width}px: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    ),
    ...(c.overflows ? [`${c.width}px: the page is wider than the screen`] : []),
  ]);
}
