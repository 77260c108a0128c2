// What is still to deliver on an order, by date: the lines the seller has
// still to ship (or the buyer still to receive), each under its own delivery
// date or, without one, the end of the order's delivery window. Home's
// "deliveries due" panel reads it, and the order row keeps its earliest date
// (`next_due`) so that panel is one indexed query instead of a fold over
// every open order.
import type { LineState, Role } from "./machine.ts";
import { compare, subtract } from "./money.ts";

export interface DueLine {
  title: string;
  amount: string;
  unit: string;
}

/** Outstanding lines by due date (YYYY-MM-DD), earliest first; lines with no date at all are left out. */
export function outstandingByDate(role: Role, lines: LineState[], deliverBy: string | null): [string, DueLine[]][] {
  const byDate = new Map<string, DueLine[]>();
  for (const line of lines) {
    if (line.status === "not_accepted") continue;
    const done = role === "seller" ? line.shipped : line.received;
    const left = subtract(subtract(line.quantity.amount, done), line.cancelled);
    if (compare(left, "0") <= 0) continue;
    const due = (line.deliveryDate ?? deliverBy ?? null)?.slice(0, 10);
    if (!due) continue;
    byDate.set(due, [...(byDate.get(due) ?? []), { title: line.title, amount: left, unit: line.quantity.unit }]);
  }
  return [...byDate].sort(([a], [b]) => a.localeCompare(b));
}

/** The earliest date something is still due on, or null when nothing dated is outstanding. */
export function nextDue(role: Role, lines: LineState[], deliverBy: string | null): string | null {
  return outstandingByDate(role, lines, deliverBy)[0]?.[0] ?? null;
}
