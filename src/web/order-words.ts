// Orders in words a co-op member reads: the state as what waits for whom,
// quantities with the unit's name, money in the currency, and each event
// of the history as a sentence ("Burke Knit shipped 150 metres of …").
import type { OrderJson } from "../actions/order-view.ts";
import type { LineChange, OrderState } from "../domain/orders/machine.ts";
import { unitName } from "./listing-view.ts";

type Role = "buyer" | "seller";

const STATE_WORDS: Record<OrderState, Record<Role, string>> = {
  sent: { buyer: "Waiting for the seller", seller: "Waiting for your answer" },
  conditionally_accepted: {
    buyer: "The seller proposes changes: waiting for your answer",
    seller: "Waiting for the buyer to agree to your changes",
  },
  accepted: { buyer: "Accepted: waiting for delivery", seller: "Accepted: to ship" },
  change_requested: {
    buyer: "Waiting for the seller to answer your change",
    seller: "The buyer asks for a change: waiting for your answer",
  },
  cancel_requested: {
    buyer: "Waiting for the seller to answer your cancellation",
    seller: "The buyer asks to cancel: waiting for your answer",
  },
  rejected: { buyer: "Rejected by the seller", seller: "Rejected" },
  cancelled: { buyer: "Cancelled", seller: "Cancelled by the buyer" },
  completed: { buyer: "Completed", seller: "Completed" },
};

export function stateWords(state: OrderState, role: Role): string {
  return STATE_WORDS[state][role];
}

/** The filter's choices: the state for people, whichever side we are. */
export const STATE_CHOICES: { value: OrderState; label: string }[] = [
  { value: "sent", label: "New, not yet answered" },
  { value: "conditionally_accepted", label: "Seller proposed changes" },
  { value: "accepted", label: "Accepted, in progress" },
  { value: "change_requested", label: "Change asked for" },
  { value: "cancel_requested", label: "Cancellation asked for" },
  { value: "completed", label: "Completed" },
  { value: "rejected", label: "Rejected" },
  { value: "cancelled", label: "Cancelled" },
];

const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 6 });
const days = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const moments = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "150 metres": the decimal string formatted exactly (Intl takes strings), the unit by name. */
export function amountText(amount: string, unit: string): string {
  return `${numbers.format(amount as unknown as number)} ${unitName(unit, !/^0*1(\.0*)?$/.test(amount))}`;
}

export function moneyText(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 6 }).format(
      amount as unknown as number,
    );
  } catch {
    return `${amount} ${currency}`;
  }
}

export function dayText(date: string | null | undefined): string {
  if (!date) return "";
  const d = new Date(date.length === 10 ? `${date}T00:00:00Z` : date);
  return Number.isNaN(d.getTime()) ? date : days.format(d);
}

export function momentText(date: string): string {
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? date : `${moments.format(d)} UTC`;
}

/** "2 lines: Organic cotton jersey, Rib trim". */
export function linesSummary(order: Pick<OrderJson, "lines">): string {
  const titles = order.lines.map((l) => `${l.title} (${amountText(l.quantity.amount, l.quantity.unit)})`);
  return order.lines.length === 1 ? (titles[0] as string) : `${order.lines.length} lines: ${titles.join("; ")}`;
}

/**
 * One proposed line change in words; with `before`, against the line as it
 * stands now (for changes still waiting; the history's are already applied).
 */
export function changeText(order: OrderJson, change: LineChange, before = true): string {
  const line = order.lines.find((l) => l.id === change.id);
  const title = line?.title ?? `line ${change.id}`;
  if (change.accepted === false) return `${title}: not accepted`;
  const parts: string[] = [];
  if (change.quantity) {
    const was = line && before ? ` (was ${amountText(line.quantity.amount, line.quantity.unit)})` : "";
    parts.push(`${amountText(change.quantity.amount, change.quantity.unit)}${was}`);
  }
  if (change.unitPrice) {
    const was = line && before ? ` (was ${moneyText(line.unitPrice.amount, line.unitPrice.currency)})` : "";
    parts.push(`${moneyText(change.unitPrice.amount, change.unitPrice.currency)} each${was}`);
  }
  if (change.deliveryDate !== undefined) {
    parts.push(change.deliveryDate ? `delivery by ${dayText(change.deliveryDate)}` : "no delivery date");
  }
  return `${title}: ${parts.join(", ") || "unchanged"}`;
}

type HistoryItem = OrderJson["history"][number];

function moved(order: OrderJson, lines: { id: string; quantity: string }[]): string {
  return lines
    .map((m) => {
      const line = order.lines.find((l) => l.id === m.id);
      return line ? `${amountText(m.quantity, line.quantity.unit)} of ${line.title}` : `${m.quantity} of line ${m.id}`;
    })
    .join(", ");
}

/** What happened, as a sentence after the name of who did it. */
export function eventText(order: OrderJson, item: HistoryItem): string {
  const p = item.payload as Record<string, unknown>;
  const changes = () => ((p.changes as LineChange[]) ?? []).map((c) => changeText(order, c, false)).join("; ");
  switch (item.type) {
    case "order":
      return "placed the order";
    case "accept":
      return "accepted the order";
    case "reject":
      return "rejected the order";
    case "propose_changes":
      return `accepted the order with changes: ${changes()}`;
    case "accept_changes":
      return "agreed to the seller's changes";
    case "change":
      return `asked to change the order: ${changes()}`;
    case "accept_change":
      return "accepted the change";
    case "reject_change":
      return "refused the change";
    case "cancel":
      return item.state === "cancel_requested" ? "asked to cancel the order" : "cancelled the order";
    case "accept_cancel":
      return "agreed to cancel the order";
    case "reject_cancel":
      return "refused to cancel the order";
    case "ship":
      return `shipped ${moved(order, p.lines as never)}${p.tracking ? ` (tracking reference ${p.tracking})` : ""}`;
    case "receive":
      return `received ${moved(order, p.lines as never)}`;
  }
}

/** A refusal's "line 1" as "Organic cotton jersey (line 1)". */
export function namingLines(order: OrderJson, message: string): string {
  return message.replace(/\bline ([A-Za-z0-9._-]+)/g, (found, id: string) => {
    const line = order.lines.find((l) => l.id === id);
    return line ? `${line.title} (line ${id})` : found;
  });
}
