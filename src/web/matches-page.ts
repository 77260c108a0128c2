// Matches, /app/matches: our needs against partners' offers and capacity,
// and partners' needs against ours, best first, each with the reasons in
// words; the ones not yet seen are marked new, and "Mark all as seen"
// (members and owners) clears the marks for everyone.

import type { Hono } from "hono";
import { html } from "hono/html";
import type { ListingJson } from "../actions/listings.ts";
import { listMatchesBySide, type MatchJson, markMatchesSeen, matchTotals } from "../actions/matches.ts";
import { partnerNames } from "../actions/order-form.ts";
import { can } from "../actions/people.ts";
import { UNIT_CODES } from "../domain/codes.ts";
import { periodLabel } from "../domain/listing-text.ts";
import { MATCH_COUNT_CAP } from "../domain/matching.ts";
import { buttonForm } from "./forms.ts";
import { KIND_LABELS, priceLine, quantityLine, windowLine } from "./listing-lines.ts";
import { unitName } from "./listing-view.ts";
import { respondWithPage } from "./respond.ts";
import { allowOnly, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

type Html = ReturnType<typeof html>;
type Refusal = (c: WorkspaceContext, reason: string) => Promise<Response>;

/** The matcher's reasons name units and periods by code ("3000 H87 per P1W"); a person reads "3000 pieces per week". */
export function reasonInWords(reason: string): string {
  return reason
    .replace(/\b(\d[\d.,]*) ([A-Z0-9]{2,3})\b/g, (whole, n: string, code: string) =>
      code in UNIT_CODES ? `${n} ${unitName(code, !/^0*1(\.0*)?$/.test(n))}` : whole,
    )
    .replace(/\bP\d+[DWMY]\b/g, (period) => periodLabel(period));
}

function side(l: ListingJson, who: string): Html {
  const terms = [KIND_LABELS[l.kind], quantityLine(l), priceLine(l), windowLine(l), l.region].filter(Boolean);
  return html`<div class="match-side"><span class="meta">${l.local ? "Ours" : who}</span>
<a class="match-link" href="/app/listings/${l.id}">${l.title}</a>
<span class="meta">${terms.join(" · ")}</span></div>`;
}

function matchItem(m: MatchJson, names: (iri: string) => string, mayAct: boolean): Html {
  const ourNeed = m.need.local;
  const theirs = ourNeed ? m.offer : m.need;
  return html`<li class="match${m.new ? " new" : ""}">
<p class="match-title">${m.new ? html`<strong class="badge">New</strong> ` : ""}${
    ourNeed ? html`${names(m.offer.author)} can help with our need` : html`We could help ${names(m.need.author)}`
  }</p>
<div class="match-pair">${side(m.need, names(m.need.author))}${side(m.offer, names(m.offer.author))}</div>
<p class="reasons"><strong>Why they match:</strong> ${m.reasons.map(reasonInWords).join("; ")}</p>
${
  ourNeed && mayAct && m.offer.kind !== "need"
    ? html`<p><a href="/app/orders/new?listing=${encodeURIComponent(theirs.iri)}">Order from ${names(theirs.author)}</a></p>`
    : ""
}
</li>`;
}

/** Totals are counted up to a cap; past it, "more than 1000". */
const countText = (n: number) => (n > MATCH_COUNT_CAP ? `more than ${MATCH_COUNT_CAP}` : String(n));

/** Matches shown per section at first, and how many more each "Show more" adds. */
const PAGE = 20;
const MOST = 1000;

async function matchesPage(c: WorkspaceContext) {
  const weft = c.get("deps");
  const mayAct = can(c.get("person").role, "act");
  const asked = Number.parseInt(c.req.query("show") ?? "", 10);
  const shown = Number.isFinite(asked) ? Math.min(Math.max(asked, PAGE), MOST) : PAGE;
  const [{ ourNeeds: ours, theirNeeds: theirs }, totals] = await Promise.all([
    listMatchesBySide(weft, shown),
    matchTotals(weft),
  ]);
  const known = await partnerNames(
    weft,
    [...ours, ...theirs].flatMap((m) => [m.need.author, m.offer.author]),
  );
  const names = (iri: string) => known.get(iri) ?? new URL(iri).host;
  const fresh = totals.fresh;
  const list = (items: MatchJson[], total: number, empty: string) =>
    items.length === 0
      ? html`<p class="empty">${empty}</p>`
      : html`<ol class="matches">${items.map((m) => matchItem(m, names, mayAct))}</ol>${
          total > items.length
            ? html`<p class="more">Showing the best ${items.length} of ${countText(total)}.${
                shown < MOST ? html` <a href="/app/matches?show=${shown + PAGE}">Show ${PAGE} more</a>` : ""
              }</p>`
            : ""
        }`;
  const body = html`<h1>Matches</h1>
<p class="lead">Listings that fit each other: same line of work, overlapping dates, enough quantity, nearby. Best first.</p>
<div class="inline matches-top"><p>${fresh === 0 ? "No new match since the last look." : fresh === 1 ? "One new match." : `${countText(fresh)} new matches.`}</p>${
    mayAct && fresh > 0
      ? buttonForm({
          action: "/app/matches/seen",
          csrf: c.get("csrfToken"),
          label: "Mark all as seen",
          style: "secondary",
        })
      : ""
  }</div>
<section class="panel" aria-labelledby="our-needs">
<h2 id="our-needs">For our needs <span class="count">${countText(totals.ourNeeds)}</span></h2>
${list(ours, totals.ourNeeds, "No partner's offer or capacity fits our needs yet. Publish a need (Listings) to be matched.")}
</section>
<section class="panel" aria-labelledby="their-needs">
<h2 id="their-needs">Partners' needs we could meet <span class="count">${countText(totals.theirNeeds)}</span></h2>
${list(theirs, totals.theirNeeds, "No partner's need fits what we offer yet.")}
</section>`;
  return respondWithPage(c, "Matches", body);
}

export function registerMatches(app: Hono<WorkspaceEnv>, refuse: Refusal): void {
  app.use("/app/matches/*", allowOnly("act", refuse));
  app.get("/app/matches", (c) => matchesPage(c));
  app.post("/app/matches/seen", async (c) => {
    const count = await markMatchesSeen(c.get("deps"));
    setFlash(c, {
      message:
        count === 0
          ? "There was no new match to mark."
          : `Marked ${count === 1 ? "one match" : `${count} matches`} as seen.`,
    });
    return c.redirect("/app/matches", 303);
  });
}
