import { describe, expect, it } from "vitest";
import { allowedActions, foldOrder, type OrderEvent, type OrderTerms } from "../../src/domain/orders/machine.ts";

const terms: OrderTerms = {
  currency: "USD",
  lines: [
    {
      id: "1",
      listing: "https://s.example/listings/a",
      title: "Jersey",
      quantity: { amount: "200", unit: "MTR" },
      unitPrice: { amount: "7.40", currency: "USD" },
    },
    {
      id: "2",
      listing: "https://s.example/listings/b",
      title: "Rib",
      quantity: { amount: "30", unit: "MTR" },
      unitPrice: { amount: "5.125", currency: "USD" },
    },
  ],
  deliveryWindow: { from: "2027-02-01", until: "2027-02-15" },
  deliverTo: { name: "Burke Knit Co-op", address: null, region: "US-NC" },
  partialDelivery: true,
  note: null,
};

let n = 0;
function ev(
  type: OrderEvent["type"],
  actor: OrderEvent["actor"],
  base: number,
  payload: Record<string, unknown> = {},
): OrderEvent {
  return {
    id: `https://x.example/e/${String(++n).padStart(3, "0")}`,
    type,
    actor,
    base,
    at: "2027-01-01T00:00:00Z",
    payload: { type, ...payload } as OrderEvent["payload"],
  };
}
const order = () => ev("order", "buyer", 0, { terms });

function shuffle<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

describe("order state machine", () => {
  it("computes line totals and the order total in decimals", () => {
    const view = foldOrder([order()])!;
    expect(view.state).toBe("sent");
    expect(view.lines.map((l) => l.total)).toEqual(["1480.00", "153.75"]);
    expect(view.total).toBe("1633.75");
  });

  it("goes sent → accepted → shipped in part → completed", () => {
    const o = order();
    const a = ev("accept", "seller", 1);
    const s1 = ev("ship", "seller", 2, { lines: [{ id: "1", quantity: "120" }], date: "2027-02-03" });
    const r1 = ev("receive", "buyer", 3, { lines: [{ id: "1", quantity: "120" }], date: "2027-02-04" });
    const s2 = ev("ship", "seller", 4, {
      lines: [
        { id: "1", quantity: "80" },
        { id: "2", quantity: "30" },
      ],
      date: "2027-02-05",
    });
    const r2 = ev("receive", "buyer", 5, {
      lines: [
        { id: "1", quantity: "80" },
        { id: "2", quantity: "30" },
      ],
      date: "2027-02-06",
    });
    const view = foldOrder([o, a, s1, r1, s2])!;
    expect(view.state).toBe("accepted");
    expect(view.lines[0]).toMatchObject({ shipped: "200", received: "120" });
    expect(foldOrder([o, a, s1, r1, s2, r2])!.state).toBe("completed");
  });

  it("handles conditional acceptance with a changed and a refused line", () => {
    const o = order();
    const ca = ev("propose_changes", "seller", 1, {
      changes: [
        { id: "1", quantity: { amount: "150", unit: "MTR" } },
        { id: "2", accepted: false },
      ],
    });
    const view = foldOrder([o, ca])!;
    expect(view.state).toBe("conditionally_accepted");
    expect(allowedActions(view.state, "buyer")).toEqual(["accept_changes", "cancel"]);
    const accepted = foldOrder([o, ca, ev("accept_changes", "buyer", 2)])!;
    expect(accepted.state).toBe("accepted");
    expect(accepted.lines.map((l) => l.status)).toEqual(["changed", "not_accepted"]);
    expect(accepted.total).toBe("1110.00");
  });

  it("keeps the confirmed order when the seller rejects a change", () => {
    const o = order();
    const a = ev("accept", "seller", 1);
    const c = ev("change", "buyer", 2, { changes: [{ id: "1", quantity: { amount: "400", unit: "MTR" } }] });
    expect(foldOrder([o, a, c])!.state).toBe("change_requested");
    const rejected = foldOrder([o, a, c, ev("reject_change", "seller", 3, { reason: "no stock" })])!;
    expect(rejected.state).toBe("accepted");
    expect(rejected.lines[0]!.quantity.amount).toBe("200");
    const accepted = foldOrder([o, a, c, ev("accept_change", "seller", 3)])!;
    expect(accepted.lines[0]!.quantity.amount).toBe("400");
  });

  it("cancels at once before an answer, and by request after", () => {
    const o = order();
    expect(foldOrder([o, ev("cancel", "buyer", 1, { reason: "wrong fabric" })])!.state).toBe("cancelled");
    const a = ev("accept", "seller", 1);
    const c = ev("cancel", "buyer", 2, { reason: "client left" });
    expect(foldOrder([o, a, c])!.state).toBe("cancel_requested");
    expect(foldOrder([o, a, c, ev("accept_cancel", "seller", 3)])!.state).toBe("cancelled");
    expect(foldOrder([o, a, c, ev("reject_cancel", "seller", 3)])!.state).toBe("accepted");
  });

  it("resolves the race 'buyer cancels while seller accepts' the same way in any order", () => {
    const o = order();
    const accept = ev("accept", "seller", 1);
    const cancel = ev("cancel", "buyer", 1, { reason: "changed our mind" });
    const one = foldOrder([o, cancel, accept])!;
    const two = foldOrder([accept, o, cancel])!;
    expect(one.state).toBe("cancel_requested");
    expect(two).toEqual(one);
  });

  it("refuses illegal or out-of-role events without changing the order", () => {
    const o = order();
    const view = foldOrder([
      o,
      ev("ship", "seller", 1, { lines: [{ id: "1", quantity: "1" }], date: "2027-01-02" }),
      ev("accept", "buyer", 1),
    ])!;
    expect(view.state).toBe("sent");
    expect(view.history.map((h) => h.outcome)).toEqual(["applied", "refused", "refused"]);
    const a = ev("accept", "seller", 1);
    const over = foldOrder([
      o,
      a,
      ev("ship", "seller", 2, { lines: [{ id: "1", quantity: "201" }], date: "2027-01-02" }),
    ])!;
    expect(over.history.at(-1)!.outcome).toBe("refused");
  });

  it("enforces complete delivery when partial delivery is not allowed", () => {
    const whole = { ...order(), payload: { type: "order", terms: { ...terms, partialDelivery: false } } } as OrderEvent;
    const a = ev("accept", "seller", 1);
    const part = ev("ship", "seller", 2, { lines: [{ id: "1", quantity: "100" }], date: "2027-01-02" });
    expect(foldOrder([whole, a, part])!.history.at(-1)!.outcome).toBe("refused");
    const all = ev("ship", "seller", 2, {
      lines: [
        { id: "1", quantity: "200" },
        { id: "2", quantity: "30" },
      ],
      date: "2027-01-02",
    });
    expect(foldOrder([whole, a, all])!.history.at(-1)!.outcome).toBe("applied");
  });

  it("gives the same state and history for every delivery order and duplicate", () => {
    const o = order();
    const a = ev("accept", "seller", 1);
    const c = ev("change", "buyer", 2, { changes: [{ id: "2", quantity: { amount: "40", unit: "MTR" } }] });
    const s = ev("ship", "seller", 2, { lines: [{ id: "1", quantity: "50" }], date: "2027-02-02" });
    const ac = ev("accept_change", "seller", 4);
    const r = ev("receive", "buyer", 5, { lines: [{ id: "1", quantity: "50" }], date: "2027-02-03" });
    const all = [o, a, c, s, ac, r];
    const reference = foldOrder(all)!;
    for (let seed = 1; seed < 200; seed++) {
      const delivered = shuffle([...all, ...all.slice(0, seed % all.length)], seed);
      expect(foldOrder(delivered)).toEqual(reference);
    }
    expect(reference.lines[1]!.quantity.amount).toBe("40");
  });
});

describe("stale or forged versions", () => {
  it("refuses an event made on a version before its author's own previous event", () => {
    const o = order();
    const a = ev("accept", "seller", 1);
    const view = foldOrder([o, a, ev("cancel", "buyer", 0, { reason: "forged base" })])!;
    expect(view.state).toBe("accepted");
    expect(view.history.find((h) => h.event.type === "cancel")!.outcome).toBe("refused");
  });

  it("never refuses an honest event that raced with the other side", () => {
    const o = order();
    const a = ev("accept", "seller", 1);
    const s1 = ev("ship", "seller", 2, { lines: [{ id: "1", quantity: "200" }], date: "2027-02-02" });
    // The buyer receives in two steps, each on the version it saw…
    const r1 = ev("receive", "buyer", 3, { lines: [{ id: "1", quantity: "100" }], date: "2027-02-03" });
    const r2 = ev("receive", "buyer", 4, { lines: [{ id: "1", quantity: "100" }], date: "2027-02-04" });
    // …while the seller ships line 2 on version 3, so r1 ends up later in the fold.
    const s2 = ev("ship", "seller", 3, { lines: [{ id: "2", quantity: "30" }], date: "2027-02-03" });
    const view = foldOrder([o, a, s1, r1, r2, s2])!;
    expect(view.history.every((h) => h.outcome === "applied")).toBe(true);
    expect(view.lines[0]!.received).toBe("200");
  });
});
