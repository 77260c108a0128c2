// One order's page: the parties and terms, the lines with ordered, shipped
// and received quantities and totals, changes waiting for an answer, what
// our side may do now (order-actions.ts), and the whole history as a
// timeline in words. Each action posts to /app/orders/:id/<action>; a
// refusal shows this page again with the reason and what was typed.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { partnerNames } from "../actions/order-form.ts";
import { getOrderView, ORDER_ACTION_EVENTS, type OrderActionName, type OrderJson } from "../actions/order-view.ts";
import { actOnOrder } from "../actions/orders.ts";
import { can } from "../actions/people.ts";
import { problemSummary } from "./forms.ts";
import { type Attempt, actionForms, actionInput } from "./order-actions.ts";
import {
  amountText,
  changeText,
  dayText,
  eventText,
  momentText,
  moneyText,
  namingLines,
  stateWords,
} from "./order-words.ts";
import { ordersPage, partnerOf } from "./orders.ts";
import { formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

type Html = ReturnType<typeof html>;

const LINE_STATUS: Record<string, string> = {
  pending: "Not yet accepted",
  accepted: "Accepted",
  changed: "Accepted as changed",
  not_accepted: "Not accepted",
};

const DONE: Record<OrderActionName, string> = {
  accept: "Done: your answer was sent.",
  reject: "Done: your answer was sent.",
  "propose-changes": "Your proposed changes were sent to the buyer.",
  "accept-changes": "You agreed to the seller's changes; the order is accepted.",
  change: "Your change request was sent to the seller.",
  cancel: "Your cancellation was sent to the seller.",
  ship: "The shipment is recorded and the buyer is told.",
  receive: "The delivery is recorded and the seller is told.",
};

function terms(order: OrderJson, names: Map<string, string>): Html {
  const us = "Us";
  const window = order.deliveryWindow;
  const to = order.deliverTo;
  return html`<dl class="facts order-facts">
<div><dt>Buyer</dt><dd>${order.role === "buyer" ? us : names.get(order.buyer)}</dd></div>
<div><dt>Seller</dt><dd>${order.role === "seller" ? us : names.get(order.seller)}</dd></div>
${window && (window.from || window.until) ? html`<div><dt>Delivery window</dt><dd>${window.from ? dayText(window.from) : "Any time"} to ${window.until ? dayText(window.until) : "no end"}</dd></div>` : ""}
${to ? html`<div><dt>Deliver to</dt><dd>${to.name}${to.address ? html`<br><span class="address">${to.address}</span>` : ""}${to.region ? html` <span class="meta">${to.region}</span>` : ""}</dd></div>` : ""}
<div><dt>Partial delivery</dt><dd>${order.partialDelivery ? "Allowed: may ship in parts" : "No: everything in one shipment"}</dd></div>
${order.note ? html`<div><dt>Note</dt><dd>${order.note}</dd></div>` : ""}
</dl>`;
}

function linesTable(order: OrderJson): Html {
  return html`<table class="cards order-lines">
<caption class="sr-only">Lines of the order</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Ordered</th><th scope="col">Unit price</th><th scope="col">Total</th><th scope="col">Shipped</th><th scope="col">Received</th><th scope="col">Deliver by</th><th scope="col">Line</th></tr></thead>
<tbody>${order.lines.map(
    (l) => html`<tr>
<td data-label="Item">${l.title}</td>
<td data-label="Ordered">${amountText(l.quantity.amount, l.quantity.unit)}</td>
<td data-label="Unit price">${moneyText(l.unitPrice.amount, l.unitPrice.currency)}</td>
<td data-label="Total" class="num">${moneyText(l.total, order.currency)}</td>
<td data-label="Shipped">${amountText(l.shipped, l.quantity.unit)}</td>
<td data-label="Received">${amountText(l.received, l.quantity.unit)}</td>
<td data-label="Deliver by">${l.deliveryDate ? dayText(l.deliveryDate) : "—"}</td>
<td data-label="Line">${LINE_STATUS[l.status] ?? l.status}${l.cancelled !== "0" ? html`<span class="meta">${amountText(l.cancelled, l.quantity.unit)} cancelled</span>` : ""}</td>
</tr>`,
  )}</tbody>
</table>
<p class="order-total">Order total: <strong>${moneyText(order.total, order.currency)}</strong> <span class="meta">(${order.currency})</span></p>`;
}

function pending(order: OrderJson): Html | string {
  if (!order.pendingChanges) return "";
  const from = order.state === "conditionally_accepted" ? "The seller proposes" : "The buyer asks for";
  return html`<section class="panel pending" aria-labelledby="pending">
<h2 id="pending">Changes waiting for an answer</h2>
<p>${from}:</p>
<ul class="pending-list">${order.pendingChanges.map((c) => html`<li>${changeText(order, c)}</li>`)}</ul>
</section>`;
}

function timeline(order: OrderJson, partner: string): Html {
  return html`<ol class="timeline">${order.history.map((h) => {
    const who = h.by === order.role ? "We" : partner;
    const payload = h.payload as { reason?: string; note?: string | null };
    return html`<li${h.outcome === "refused" ? html` class="refused"` : ""}>
<time datetime="${h.at}">${momentText(h.at)}</time>
<p><strong>${who}</strong> ${eventText(order, h)}.</p>
${payload.reason ? html`<p class="reason">Reason: ${payload.reason}</p>` : ""}
${payload.note ? html`<p class="reason">Note: ${payload.note}</p>` : ""}
${h.outcome === "refused" ? html`<p class="meta">Not applied: it arrived when the order no longer allowed it (${h.reason}).</p>` : ""}
</li>`;
  })}</ol>`;
}

async function orderPage(c: WorkspaceContext, order: OrderJson, attempt?: Attempt, status: 200 | 400 | 409 = 200) {
  const weft = c.get("deps");
  const names = await partnerNames(weft, [partnerOf(order)]);
  const partner = names.get(partnerOf(order)) ?? "";
  const title = order.role === "buyer" ? `Order to ${partner}` : `Order from ${partner}`;
  const mayAct = can(c.get("person").role, "act");
  // A refusal whose form is gone (the order moved on meanwhile) is said at the top.
  const loose = attempt && !order.allowedActions.includes(attempt.action) ? attempt : undefined;
  const body = html`<p class="back"><a href="/app/orders">← Orders</a></p>
<h1>${title}</h1>
<p class="order-state"><span class="state state-${order.state}">${stateWords(order.state, order.role)}</span>
<span class="meta">${order.role === "buyer" ? "We buy" : "We sell"} · placed ${momentText(order.createdAt)} · last change ${momentText(order.updatedAt)}</span></p>
<p><a href="/app/orders/${order.id}/ubl" download>Download as UBL (XML)</a> <span class="meta">The order as a Peppol UBL 2.1 document, for your accounting or ERP.</span></p>
${loose ? problemSummary(loose.problem) : ""}
<section aria-labelledby="terms"><h2 id="terms" class="sr-only">Terms</h2>${terms(order, names)}</section>
<section aria-labelledby="lines"><h2 id="lines">Lines</h2>${linesTable(order)}</section>
${pending(order)}
<section aria-labelledby="now" class="order-section"><h2 id="now">What you can do now</h2>${actionForms(order, c.get("csrfToken"), mayAct, attempt)}</section>
<section aria-labelledby="history"><h2 id="history">History</h2>${timeline(order, partner)}</section>`;
  return ordersPage(c, title, body, status);
}

async function notFound(c: WorkspaceContext) {
  const body = html`<h1>Order not found</h1>
<div class="problem" role="alert"><p>There is no such order in this workspace.</p></div>
<p><a href="/app/orders">All orders</a></p>`;
  return ordersPage(c, "Order not found", body, 404);
}

async function findOrder(c: WorkspaceContext): Promise<OrderJson | undefined> {
  try {
    return await getOrderView(c.get("deps"), c.req.param("id") as string);
  } catch (error) {
    if (error instanceof ActionError && error.kind === "not_found") return undefined;
    throw error;
  }
}

export function registerOrderPage(app: Hono<WorkspaceEnv>): void {
  app.get("/app/orders/:id", async (c) => {
    const order = await findOrder(c);
    return order ? orderPage(c, order) : notFound(c);
  });

  app.post("/app/orders/:id/:action", async (c) => {
    const action = c.req.param("action");
    const order = await findOrder(c);
    if (!order || !(action in ORDER_ACTION_EVENTS)) return notFound(c);
    const name = action as OrderActionName;
    const fields = await formFields(c);
    delete fields._csrf;
    const { input, errors, fieldOf } = actionInput(order, name, fields);
    const again = (problem: string, fieldErrors: typeof errors, status: 400 | 409) =>
      orderPage(c, order, { action: name, form: { values: fields, errors: byField(fieldErrors) }, problem }, status);
    if (errors.length > 0) return again(errors.map((e) => e.message).join(" "), [], 400);
    try {
      await actOnOrder(c.get("deps"), order.id, name, input as never);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "not_found") return notFound(c);
      const placed = error.errors.map(fieldOf);
      const onForm = placed.filter((e) => FORM_FIELD.test(e.field));
      const elsewhere = placed.filter((e) => !FORM_FIELD.test(e.field)).map((e) => `${e.field} ${e.message}.`);
      const problem =
        error.kind === "conflict"
          ? `Not done: ${namingLines(order, error.message.replace(/^Cannot [a-z-]+: /, ""))}. The page shows the order as it is now.`
          : onForm.length > 0
            ? ["Not sent: correct the fields marked below.", ...elsewhere].join(" ")
            : error.message;
      // The latest order: a conflict may mean it changed meanwhile.
      const now = (await findOrder(c)) ?? order;
      return orderPage(
        c,
        now,
        { action: name, form: { values: fields, errors: byField(placed) }, problem },
        error.kind === "conflict" ? 409 : 400,
      );
    }
    setFlash(c, { message: DONE[name] });
    return c.redirect(`/app/orders/${order.id}`, 303);
  });
}

/** The fields the action forms have; an error on any other part is said in the summary. */
const FORM_FIELD = /^(reason|note|tracking|date|line\.\d+\.\w+)$/;

function byField(errors: { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] ??= e.message;
  return out;
}
