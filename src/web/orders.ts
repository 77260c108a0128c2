// Orders in the workspace: the list (by state and by side), the order form
// from a partner's listing (order-new.ts), each order's page with the
// actions its state allows now (order-page.ts), and the UBL download. Every
// read and change goes through the use cases (actions/order-*.ts).

import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { partnerNames } from "../actions/order-form.ts";
import { getOrderUbl, listOrderPage, type OrderFilter, type OrderJson } from "../actions/order-view.ts";
import { ORDER_STATES, type OrderState } from "../domain/orders/machine.ts";
import { registerOrderForm } from "./order-new.ts";
import { registerOrderPage } from "./order-page.ts";
import { linesSummary, momentText, moneyText, STATE_CHOICES, stateWords } from "./order-words.ts";
import { respondWithPage } from "./respond.ts";
import { allowOnly, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

export type Refusal = (c: WorkspaceContext, reason: string) => Promise<Response>;

/** An orders page in the workspace frame (used by the order form and the order page too). */
export const ordersPage = respondWithPage;

/** The partner of an order: the buyer when we sell, the seller when we buy. */
export function partnerOf(order: Pick<OrderJson, "role" | "buyer" | "seller">): string {
  return order.role === "seller" ? order.buyer : order.seller;
}

/** Rows per page of the list; older ones are a "Next" link away (a keyset cursor, works without script). */
const ORDERS_PER_PAGE = 50;

const ROLE_CHOICES = [
  { value: "", label: "Placed and received" },
  { value: "buyer", label: "Placed by us (we buy)" },
  { value: "seller", label: "Received (we sell)" },
];

function option(value: string, label: string, selected: string) {
  return html`<option value="${value}"${value === selected ? html` selected` : ""}>${label}</option>`;
}

async function listPage(c: WorkspaceContext) {
  const weft = c.get("deps");
  const role = c.req.query("role");
  const state = c.req.query("state");
  const filter: OrderFilter = {};
  if (role === "buyer" || role === "seller") filter.role = role;
  if (state && (ORDER_STATES as readonly string[]).includes(state)) filter.state = state as OrderState;
  // One partner's orders (the link from its page); a value that is not a URL is ignored.
  const partner = c.req.query("partner");
  if (partner && URL.canParse(partner)) filter.partner = partner;
  const after = c.req.query("after") || undefined;
  const { items: orders, next } = await listOrderPage(weft, filter, { after, limit: ORDERS_PER_PAGE });
  const names = await partnerNames(weft, orders.map(partnerOf));
  const pageLink = (cursor?: string) => {
    const query = new URLSearchParams();
    if (filter.role) query.set("role", filter.role);
    if (filter.state) query.set("state", filter.state);
    if (filter.partner) query.set("partner", filter.partner);
    if (cursor) query.set("after", cursor);
    return `/app/orders${query.size > 0 ? `?${query}` : ""}`;
  };
  const filtered = Boolean(filter.role || filter.state || filter.partner);
  const rows = orders.map(
    (o) => html`<tr>
<td data-label="Partner"><a href="/app/orders/${o.id}">${o.role === "seller" ? "From" : "To"} ${names.get(partnerOf(o))}</a></td>
<td data-label="Lines">${linesSummary(o)}</td>
<td data-label="Total" class="num">${moneyText(o.total, o.currency)}</td>
<td data-label="State"><span class="state state-${o.state}">${stateWords(o.state, o.role)}</span></td>
<td data-label="Updated">${momentText(o.updatedAt)}</td>
</tr>`,
  );
  const body = html`<h1>Orders</h1>
<p class="lead">Orders we placed with partners and orders partners placed with us. To order, open a partner's listing under <a href="/app/search">Find capacity</a> or <a href="/app/partners">Partners</a> and choose “Order from this listing”.</p>
<form method="get" action="/app/orders" class="inline filters" role="search" aria-label="Filter orders">
<label for="filter-role">Side</label>
<select id="filter-role" name="role">${ROLE_CHOICES.map((r) => option(r.value, r.label, filter.role ?? ""))}</select>
<label for="filter-state">State</label>
<select id="filter-state" name="state">${option("", "Any state", filter.state ?? "")}${STATE_CHOICES.map((s) => option(s.value, s.label, filter.state ?? ""))}</select>
${filter.partner ? html`<input type="hidden" name="partner" value="${filter.partner}">` : ""}<button type="submit" class="secondary">Show</button>
${filtered ? html`<a href="/app/orders">Show all</a>` : ""}
</form>
${
  orders.length === 0
    ? html`<p class="empty">${after ? "No more orders." : filtered ? "No order matches these filters." : "No orders yet."}</p>`
    : html`<table class="cards orders">
<caption class="sr-only">Orders, most recently changed first</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Lines</th><th scope="col">Total</th><th scope="col">State</th><th scope="col">Updated</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
${
  next || after
    ? html`<nav class="inline pager" aria-label="More orders">${after ? html`<a href="${pageLink()}">Newest orders</a>` : ""}${
        next ? html`<a href="${pageLink(next)}" rel="next">Next ${ORDERS_PER_PAGE} orders</a>` : ""
      }</nav>`
    : ""
}`;
  return ordersPage(c, "Orders", body);
}

export function registerOrders(app: Hono<WorkspaceEnv>, refusal: Refusal): void {
  // A viewer reads orders but every form post is refused, whatever the form.
  app.use("/app/orders/*", allowOnly("act", refusal));
  app.get("/app/orders", (c) => listPage(c));
  registerOrderForm(app);

  app.get("/app/orders/:id/ubl", async (c) => {
    const id = c.req.param("id");
    try {
      const xml = await getOrderUbl(c.get("deps"), id);
      return c.body(xml, 200, {
        "content-type": "application/xml; charset=utf-8",
        "content-disposition": `attachment; filename="order-${id.replace(/[^A-Za-z0-9-]/g, "")}.xml"`,
      });
    } catch (error) {
      if (error instanceof ActionError && error.kind === "not_found") return c.notFound();
      throw error;
    }
  });
  registerOrderPage(app);
}
