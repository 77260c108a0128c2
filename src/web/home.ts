// Home, "what needs me now": what waits for this co-op's answer or action,
// read from the domain (orders, follows, matching, listings). Each panel
// says plainly when nothing waits.

import type { Hono } from "hono";
import { html } from "hono/html";
import { can } from "../actions/people.ts";
import { findRemoteActors, listFollowers } from "../domain/follows.ts";
import { timelinePage } from "../domain/listings.ts";
import { findMatches } from "../domain/matching.ts";
import { outstandingByDate } from "../domain/orders/due.ts";
import { homeOrderPanels, type OrderSummary } from "../domain/orders/store.ts";
import type { NodeServices } from "../services.ts";
import { KIND_LABELS } from "./listing-view.ts";
import { respondWithPage } from "./respond.ts";
import type { WorkspaceContext, WorkspaceEnv } from "./session.ts";

type Html = ReturnType<typeof html>;
type Database = NodeServices["db"];
type OrderRow = OrderSummary;
type ListingRow = Awaited<ReturnType<typeof timelinePage>>["items"][number];
type RemoteActorRow = Awaited<ReturnType<typeof findRemoteActors>>[number];

const ANSWER_NEEDED: Record<string, string> = {
  sent: "New order: accept, reject or propose changes",
  change_requested: "The buyer asks to change it",
  cancel_requested: "The buyer asks to cancel it",
};

/** Orders whose lines may still be due for delivery. */
const OPEN_STATES = ["accepted", "change_requested", "cancel_requested"];

/** ISO date (YYYY-MM-DD) of today and of the coming Sunday, in UTC. */
function thisWeek(now = new Date()): { today: string; sunday: string } {
  const today = now.toISOString().slice(0, 10);
  const sunday = new Date(now.getTime() + ((7 - now.getUTCDay()) % 7) * 86400_000).toISOString().slice(0, 10);
  return { today, sunday };
}

async function names(db: Database, iris: string[]): Promise<Map<string, RemoteActorRow | undefined>> {
  const rows = await findRemoteActors(db, [...new Set(iris)]);
  return new Map(rows.map((row) => [row.iri, row]));
}

function partnerName(actor: RemoteActorRow | undefined, iri: string): string {
  return actor?.name ?? actor?.handle ?? new URL(iri).host;
}

/** Items a panel lists; the rest are one link away, so Home stays short with a thousand orders. */
const PANEL_ITEMS = 8;

function panel(title: string, count: number, content: Html[], empty: string, all?: string): Html {
  const id = title.toLowerCase().replace(/[^a-z]+/g, "-");
  const shown = content.slice(0, PANEL_ITEMS);
  return html`<section class="panel" aria-labelledby="${id}">
<h2 id="${id}">${title} <span class="count"><span class="sr-only">(</span>${count}<span class="sr-only">)</span></span></h2>
${count === 0 ? html`<p class="empty">${empty}</p>` : html`<ul class="items">${shown}</ul>`}
${count > shown.length && all ? html`<p class="more"><a href="${all}">${count - shown.length} more<span class="sr-only">: ${title.toLowerCase()}</span></a></p>` : ""}
</section>`;
}

async function homeBody(c: WorkspaceContext): Promise<Html> {
  const { db } = c.get("deps").services;
  const mayAct = can(c.get("person").role, "act");
  const { today, sunday } = thisWeek();
  const [panels, pendingFollowers, matches, partnersNewest] = await Promise.all([
    homeOrderPanels(db, {
      answerStates: Object.keys(ANSWER_NEEDED),
      openStates: OPEN_STATES,
      dueBy: sunday,
      limit: PANEL_ITEMS,
    }),
    listFollowers(db, { state: "pending" }),
    findMatches(db, { onlyNew: true, limit: 6 }),
    timelinePage(db, { limit: 6, sources: ["follow", "backfill"] }),
  ]);
  const { toAnswer, counterProposals, deliveries } = panels;
  const fresh = matches;
  const who = await names(db, [
    ...[...toAnswer.items, ...counterProposals.items, ...deliveries.items].map((o) =>
      o.role === "seller" ? o.buyerIri : o.sellerIri,
    ),
    ...partnersNewest.items.map((l) => l.authorIri),
    ...fresh.map((m) => (m.need.local ? m.offer.authorIri : m.need.authorIri)),
  ]);
  const partnerOf = (o: OrderRow) => {
    const iri = o.role === "seller" ? o.buyerIri : o.sellerIri;
    return partnerName(who.get(iri), iri);
  };
  const orderLink = (o: OrderRow, text: string) => html`<a href="/app/orders/${o.id}">${text}</a>`;
  const listingBy = (l: ListingRow) => (l.local ? "us" : partnerName(who.get(l.authorIri), l.authorIri));

  return html`<h1>What needs you now</h1>
<p class="lead">${mayAct ? "Orders to answer, deliveries to make, and news from partners." : "You can read everything here; a member or owner answers orders and requests."}</p>
<div class="grid">
${panel(
  "Orders waiting for our answer",
  toAnswer.count,
  toAnswer.items.map(
    (o) =>
      html`<li>${orderLink(o, `Order from ${partnerOf(o)}`)}<span class="meta">${ANSWER_NEEDED[o.state]} · ${o.total} ${o.currency}</span></li>`,
  ),
  "No order waits for an answer.",
  "/app/orders?role=seller",
)}
${panel(
  "Counter-proposals waiting for us",
  counterProposals.count,
  counterProposals.items.map(
    (o) =>
      html`<li>${orderLink(o, `Our order to ${partnerOf(o)}`)}<span class="meta">They accepted with changes: agree or cancel · ${o.total} ${o.currency}</span></li>`,
  ),
  "No seller has proposed changes to our orders.",
  "/app/orders?role=buyer&state=conditionally_accepted",
)}
${panel(
  "Deliveries due this week or overdue",
  deliveries.count,
  deliveries.items.map((o) => {
    const due = outstandingByDate(o.role, o.lines, o.deliverBy).filter(([date]) => date <= sunday);
    const first = due[0]?.[0] ?? sunday;
    const lines = due.flatMap(([, lines]) => lines.map((l) => `${l.amount} ${l.unit} ${l.title}`));
    return html`<li>${orderLink(o, `${o.role === "seller" ? "Ship to" : "Receive from"} ${partnerOf(o)}`)}
<span class="meta">${first < today ? html`<span class="late">Overdue since ${first}</span>` : `Due ${first}`} · ${lines.join("; ")}</span></li>`;
  }),
  "Nothing is due this week, and nothing is overdue.",
  "/app/orders?state=accepted",
)}
${panel(
  "Follow requests",
  pendingFollowers.length,
  pendingFollowers.map(
    (f) =>
      html`<li><a href="/app/partners">${f.actor.name ?? f.actor.handle ?? f.actor.iri}</a><span class="meta">${f.actor.handle ?? f.actor.iri} asks to follow us</span></li>`,
  ),
  "No co-op is waiting for us to accept its follow request.",
  "/app/partners",
)}
${panel(
  "New matches for our needs and offers",
  fresh.length,
  fresh.map(
    (m) =>
      html`<li><a href="/app/matches">${m.need.title}</a> ↔ ${m.offer.title}<span class="meta">${m.need.local ? `Offered by ${listingBy(m.offer)}` : `Needed by ${listingBy(m.need)}`} · ${m.reasons.join("; ")}</span></li>`,
  ),
  "No new match since you last looked.",
)}
${panel(
  "Partners' newest listings",
  partnersNewest.items.length,
  partnersNewest.items.map(
    (l) =>
      html`<li><a href="/app/listings/${l.id}">${l.title}</a><span class="meta">${KIND_LABELS[l.kind]} · ${listingBy(l)} · ${l.updated.toISOString().slice(0, 10)}</span></li>`,
  ),
  "Partners have published nothing yet; follow co-ops to see what they offer.",
)}
</div>`;
}

export function registerHome(app: Hono<WorkspaceEnv>): void {
  app.get("/app", async (c) => respondWithPage(c, "Home", await homeBody(c)));
}
