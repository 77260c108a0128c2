// The action forms of an order page, one per action the state machine allows
// our side now (never a button that would be refused), and the reading of
// each posted form into the input actOnOrder takes. Per-line fields are
// named `line.<n>.<what>` by the line's place in the order, so a refusal's
// field errors land next to the right line.
import { html } from "hono/html";
import type { FieldError } from "../actions/errors.ts";
import type { OrderActionName, OrderJson } from "../actions/order-view.ts";
import type { LineChange } from "../domain/orders/machine.ts";
import { compare, subtract } from "../domain/orders/money.ts";
import {
  csrfField,
  type FormState,
  formState,
  problemSummary,
  selectField,
  textareaField,
  textField,
} from "./forms.ts";
import { unitName } from "./listing-view.ts";
import { amountText } from "./order-words.ts";

type Html = ReturnType<typeof html>;
type Line = OrderJson["lines"][number];

/** A refused action: which form, what was typed, why. */
export interface Attempt {
  action: OrderActionName;
  form: FormState;
  problem: string;
}

const open = (l: Line) => l.status !== "not_accepted";
const toShip = (l: Line) => subtract(subtract(l.quantity.amount, l.shipped), l.cancelled);
const toReceive = (l: Line) => subtract(l.shipped, l.received);
const positive = (amount: string) => compare(amount, "0") > 0;

/** Title, explanation and button of each action, in the words of the order's state. */
function words(order: OrderJson, action: OrderActionName): { title: string; text: string; button: string } {
  const s = order.state;
  switch (action) {
    case "accept":
      if (s === "change_requested")
        return {
          title: "Accept the buyer's change",
          text: "The order changes as the buyer asks.",
          button: "Accept the change",
        };
      if (s === "cancel_requested")
        return { title: "Agree to cancel", text: "What is not shipped yet is cancelled.", button: "Agree to cancel" };
      return { title: "Accept the order", text: "You commit to deliver it as ordered.", button: "Accept the order" };
    case "reject":
      if (s === "change_requested")
        return { title: "Refuse the change", text: "The order stays as it was.", button: "Refuse the change" };
      if (s === "cancel_requested")
        return { title: "Refuse to cancel", text: "The order goes on as agreed.", button: "Refuse to cancel" };
      return { title: "Reject the order", text: "The buyer sees your reason.", button: "Reject the order" };
    case "propose-changes":
      return {
        title: "Accept with changes",
        text: "Propose another quantity, price or date line by line, or drop a line; the buyer agrees or cancels.",
        button: "Send the proposed changes",
      };
    case "accept-changes":
      return {
        title: "Agree to the seller's changes",
        text: "The order is accepted with the changes shown above.",
        button: "Agree to the changes",
      };
    case "change":
      return {
        title: "Ask for a change",
        text: "Ask the seller for another quantity, price or date on a line; the seller accepts or refuses.",
        button: "Send the change request",
      };
    case "cancel":
      return s === "sent" || s === "conditionally_accepted"
        ? {
            title: "Cancel the order",
            text: "The seller has not committed yet, so it is cancelled at once.",
            button: "Cancel the order",
          }
        : {
            title: "Ask to cancel",
            text: "The seller has accepted: they agree to cancel what is not shipped, or refuse.",
            button: "Ask to cancel",
          };
    case "ship":
      return {
        title: "Record a shipment",
        text: order.partialDelivery
          ? "What you send now, line by line; the buyer confirms what arrives."
          : "This order does not allow partial delivery: ship everything that is left at once.",
        button: "Record the shipment",
      };
    case "receive":
      return {
        title: "Record what arrived",
        text: "What reached you, line by line. When everything has arrived, the order is completed.",
        button: "Record the delivery",
      };
  }
}

/** What each form starts with: the lines as they stand, what is left to ship or receive. */
function defaults(order: OrderJson, action: OrderActionName): Record<string, string> {
  const values: Record<string, string> = {};
  order.lines.forEach((l, i) => {
    if (action === "propose-changes" || action === "change") {
      values[`line.${i}.quantity`] = l.quantity.amount;
      values[`line.${i}.unitPrice`] = l.unitPrice.amount;
      values[`line.${i}.deliveryDate`] = l.deliveryDate ?? "";
      values[`line.${i}.keep`] = "yes";
    }
    if (action === "ship") values[`line.${i}.quantity`] = open(l) ? toShip(l) : "0";
    if (action === "receive") values[`line.${i}.quantity`] = toReceive(l);
  });
  return values;
}

function lineFields(order: OrderJson, action: OrderActionName, form: FormState): Html[] {
  return order.lines.map((l, i) => {
    const unit = unitName(l.quantity.unit, true);
    const common = { form, id: action };
    const legend = html`<legend>${l.title} <span class="line-id">(line ${l.id})</span></legend>`;
    if (action === "ship" || action === "receive") {
      const left = action === "ship" ? (open(l) ? toShip(l) : "0") : toReceive(l);
      if (!positive(left)) {
        const done = action === "ship" ? "Nothing left to ship." : "Nothing shipped that has not arrived.";
        return html`<fieldset class="line">${legend}<p class="meta">${done}</p></fieldset>`;
      }
      const hint = `${action === "ship" ? "Left to ship" : "Shipped, not yet received"}: ${amountText(left, l.quantity.unit)}.`;
      return html`<fieldset class="line">${legend}${textField({ ...common, name: `line.${i}.quantity`, label: `Quantity (${unit})`, hint })}</fieldset>`;
    }
    if (!open(l))
      return html`<fieldset class="line">${legend}<p class="meta">Not accepted by the seller.</p></fieldset>`;
    return html`<fieldset class="line">${legend}<div class="pair">
${textField({ ...common, name: `line.${i}.quantity`, label: `Quantity (${unit})` })}
${textField({ ...common, name: `line.${i}.unitPrice`, label: `Unit price (${order.currency} per ${unitName(l.quantity.unit, false)})` })}
${textField({ ...common, name: `line.${i}.deliveryDate`, label: "Deliver by", hint: "A date such as 2027-02-01, or empty." })}
${
  action === "propose-changes"
    ? selectField({
        ...common,
        name: `line.${i}.keep`,
        label: "This line",
        options: [
          { value: "yes", label: "Keep it" },
          { value: "no", label: "Do not accept it" },
        ],
      })
    : ""
}</div></fieldset>`;
  });
}

function actionForm(order: OrderJson, action: OrderActionName, csrf: string, attempt?: Attempt): Html {
  const w = words(order, action);
  const form = attempt?.action === action ? attempt.form : formState(defaults(order, action));
  const common = { form, id: action };
  const reasonRequired = (action === "reject" && order.state === "sent") || action === "cancel";
  const fields: (Html | string)[] = [];
  if (action === "reject" || action === "cancel") {
    fields.push(
      textareaField({
        ...common,
        name: "reason",
        label: reasonRequired ? "Reason" : "Reason (optional)",
        rows: 3,
        required: reasonRequired,
      }),
    );
  }
  if (action === "propose-changes" || action === "change" || action === "ship" || action === "receive") {
    fields.push(...lineFields(order, action, form));
  }
  if (action === "propose-changes" || action === "change") {
    fields.push(textareaField({ ...common, name: "note", label: "Note (optional)", rows: 2 }));
  }
  if (action === "ship") {
    fields.push(
      textField({ ...common, name: "tracking", label: "Tracking reference (optional)", hint: "The carrier's number." }),
    );
  }
  if (action === "ship" || action === "receive") {
    fields.push(
      textField({
        ...common,
        name: "date",
        label: "Date (optional)",
        hint: "Today when empty; a date such as 2027-02-01.",
      }),
    );
  }
  const danger = action === "reject" || action === "cancel";
  return html`<section class="panel action" aria-labelledby="act-${action}">
<h3 id="act-${action}">${w.title}</h3>
<p>${w.text}</p>
${attempt?.action === action ? problemSummary(attempt.problem) : ""}
<form method="post" action="/app/orders/${order.id}/${action}" data-action="${action}" novalidate>
${csrfField(csrf)}
${fields}
<button type="submit"${danger ? html` class="danger"` : ""}>${w.button}</button>
</form>
</section>`;
}

/** One form per action allowed now, or a sentence saying why there is none. */
export function actionForms(order: OrderJson, csrf: string, mayAct: boolean, attempt?: Attempt): Html {
  if (!mayAct) {
    return html`<p class="empty">You can read this order; a member or an owner of the workspace acts on it.</p>`;
  }
  if (order.allowedActions.length === 0) {
    const final = ["completed", "rejected", "cancelled"].includes(order.state);
    return html`<p class="empty">${final ? "This order is closed: nothing more can be done on it." : `Nothing for you to do now: it waits for the ${order.role === "buyer" ? "seller" : "buyer"}.`}</p>`;
  }
  // The machine allows shipping and receiving while the order is open; a form
  // with nothing left to ship or receive would only be refused.
  const useful = order.allowedActions.filter((a) =>
    a === "ship"
      ? order.lines.some((l) => open(l) && positive(toShip(l)))
      : a === "receive"
        ? order.lines.some((l) => positive(toReceive(l)))
        : true,
  );
  if (useful.length === 0) {
    return html`<p class="empty">Nothing for you to do now: it waits for the ${order.role === "buyer" ? "seller" : "buyer"}.</p>`;
  }
  return html`<div class="actions">${useful.map((a) => actionForm(order, a, csrf, attempt))}</div>`;
}

/**
 * The posted form as actOnOrder's input, the errors found before sending
 * (no line named), and how to put the use case's field errors back on the
 * form's fields.
 */
export function actionInput(
  order: OrderJson,
  action: OrderActionName,
  v: Record<string, string>,
): { input: Record<string, unknown>; errors: FieldError[]; fieldOf: (e: FieldError) => FieldError } {
  const s = (name: string) => (v[name] ?? "").trim();
  const index: number[] = [];
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  if (action === "reject" || action === "cancel") {
    if (s("reason")) input.reason = s("reason");
  } else if (action === "propose-changes" || action === "change") {
    const changes: LineChange[] = [];
    order.lines.forEach((l, i) => {
      if (!open(l)) return;
      const change: LineChange = { id: l.id };
      if (action === "propose-changes" && s(`line.${i}.keep`) === "no") change.accepted = false;
      else {
        const quantity = s(`line.${i}.quantity`);
        const price = s(`line.${i}.unitPrice`);
        const date = s(`line.${i}.deliveryDate`);
        if (quantity !== l.quantity.amount) change.quantity = { amount: quantity, unit: l.quantity.unit };
        if (price !== l.unitPrice.amount) change.unitPrice = { amount: price, currency: l.unitPrice.currency };
        if (date !== (l.deliveryDate ?? "")) change.deliveryDate = date || null;
      }
      if (Object.keys(change).length > 1) {
        changes.push(change);
        index.push(i);
      }
    });
    if (changes.length === 0) {
      errors.push({
        field: "changes",
        message: "Nothing was changed: change at least one line's quantity, price or date.",
      });
    }
    input.changes = changes;
    if (s("note")) input.note = s("note");
  } else if (action === "ship" || action === "receive") {
    const lines: { id: string; quantity: string }[] = [];
    order.lines.forEach((l, i) => {
      const quantity = s(`line.${i}.quantity`);
      if (quantity === "" || quantity === "0") return;
      lines.push({ id: l.id, quantity });
      index.push(i);
    });
    if (lines.length === 0) {
      errors.push({
        field: "lines",
        message: `Type the quantity ${action === "ship" ? "shipped" : "received"} for at least one line.`,
      });
    }
    input.lines = lines;
    if (action === "ship" && s("tracking")) input.tracking = s("tracking");
    if (s("date")) input.date = s("date");
  }
  const fieldOf = (e: FieldError): FieldError => {
    const m = /^(changes|lines)\.(\d+)\.(quantity|unitPrice|deliveryDate)/.exec(e.field);
    const i = m ? index[Number(m[2])] : undefined;
    if (!m || i === undefined) {
      if (e.field === "reason")
        return { field: e.field, message: `${e.message[0]?.toUpperCase()}${e.message.slice(1)}.` };
      const label = { note: "Note", tracking: "Tracking reference", date: "Date" }[e.field];
      return label ? { field: e.field, message: `${label}: ${e.message}.` } : e;
    }
    const label = { quantity: "Quantity", unitPrice: "Unit price", deliveryDate: "The date" }[m[3] as string];
    return { field: `line.${i}.${m[3]}`, message: `${label} ${e.message}.` };
  };
  return { input, errors, fieldOf };
}
