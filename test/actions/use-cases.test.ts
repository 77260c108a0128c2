// The use cases (src/actions/) called directly, as pages will call them:
// they refuse with ActionError and store nothing, and what they return is
// exactly what the API answers for the same thing.
import { describe, expect, it } from "vitest";
import { ActionError } from "../../src/actions/errors.ts";
import { follow, listFollowers, listFollowing } from "../../src/actions/follows.ts";
import { listListings, publishListing, withdrawListing } from "../../src/actions/listings.ts";
import { getOrderView, listOrders } from "../../src/actions/order-view.ts";
import { acceptOrder, actOnOrder, placeOrder, rejectOrder } from "../../src/actions/orders.ts";
import { getProfile } from "../../src/actions/profile.ts";
import { eventually, startNetwork } from "../support/network.ts";

async function refusal(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

describe("use cases", () => {
  it("publish, follow, order and act on it; the same shapes as the API; refusals store nothing", async () => {
    const [seller, buyer] = await startNetwork(2);
    const sell = seller!.node.actions;
    const buy = buyer!.node.actions;

    const bad = await refusal(
      publishListing(sell, {
        kind: "offer",
        title: "Jersey",
        category: "textile/fabric/knit",
        quantity: { amount: "500", unit: "METRES" },
      }),
    );
    expect(bad.kind).toBe("invalid");
    expect(bad.errors.map((e) => e.field)).toEqual(["quantity.unit"]);
    expect(await listListings(sell)).toEqual([]);

    const offer = await publishListing(sell, {
      kind: "offer",
      title: "Organic cotton jersey",
      category: "textile/fabric/knit",
      quantity: { amount: "500", unit: "MTR" },
      price: { amount: "7.40", currency: "USD", per: "MTR" },
    });
    expect(offer).toMatchObject({ visibility: "public", status: "active", local: true });
    expect((await seller!.api("GET", "/listings")).body.items).toEqual([offer]);
    expect((await getProfile(sell)).counts).toEqual({ followers: 0, pendingFollowers: 0, following: 0 });

    const self = await refusal(follow(sell, { actor: seller!.actorUrl }));
    expect(self.errors).toEqual([{ field: "actor", message: "is this co-op" }]);

    const following = await follow(buy, { handle: seller!.account });
    expect(following.state).toBe("pending");
    await eventually(async () => (await listFollowing(buy))[0]?.state === "accepted");
    expect((await buyer!.api("GET", "/following")).body.items).toEqual(await listFollowing(buy));
    expect((await listFollowers(sell)).map((f) => f.actor.iri)).toEqual([buyer!.actorUrl]);
    // The follow brings the seller's public listings to the buyer (backfill).
    await eventually(async () => (await buyer!.api("GET", "/timeline")).body.items.length === 1);

    const line = {
      listing: offer.iri,
      quantity: { amount: "50", unit: "MTR" },
      unitPrice: { amount: "7.40", currency: "USD" },
    };
    const tooMuch = await refusal(placeOrder(buy, { lines: [{ ...line, quantity: { amount: "900", unit: "MTR" } }] }));
    expect(tooMuch.errors.map((e) => e.field)).toEqual(["lines.0.quantity.amount"]);
    expect(await listOrders(buy)).toEqual([]);

    const placed = await placeOrder(buy, { lines: [line] });
    expect(placed).toMatchObject({ role: "buyer", state: "sent", total: "370.00", allowedActions: ["cancel"] });
    const received = await eventually(async () => (await listOrders(sell))[0]);
    expect(received.allowedActions).toEqual(expect.arrayContaining(["accept", "reject"]));

    // Not the buyer's to accept: a conflict naming what it may do.
    const notYours = await refusal(acceptOrder(buy, placed.id, {}));
    expect(notYours.kind).toBe("conflict");
    expect(notYours.extra).toEqual({ state: "sent", allowedActions: ["cancel"] });
    // Rejecting needs a reason.
    const noReason = await refusal(rejectOrder(sell, received.id, {}));
    expect(noReason.errors).toEqual([{ field: "reason", message: "give a reason" }]);
    const badBody = await refusal(actOnOrder(sell, received.id, "ship", { lines: [] }));
    expect(badBody.kind).toBe("conflict");

    const accepted = await acceptOrder(sell, received.id, {});
    expect(accepted.state).toBe("accepted");
    expect((await seller!.api("GET", `/orders/${received.id}`)).body).toEqual(await getOrderView(sell, received.id));
    await eventually(async () => (await getOrderView(buy, placed.id)).state === "accepted");

    await withdrawListing(sell, offer.id);
    expect(await listListings(sell)).toEqual([]);
    const gone = await refusal(withdrawListing(sell, offer.id));
    expect(gone.kind).toBe("not_found");
  });
});
