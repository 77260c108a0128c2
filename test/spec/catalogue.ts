// Which test file keeps which example in spec/examples/ honest; examples.test.ts
// checks that together they cover every file there.

/** spec/listings.md */
export const LISTING_EXAMPLES = [
  "proposal-offer.json",
  "proposal-capacity.json",
  "proposal-need.json",
  "create-proposal.json",
  "update-proposal.json",
  "delete-proposal.json",
  "note-twin.json",
  "listings.json",
  "listings-page.json",
];

/** spec/orders.md */
export const ORDER_EXAMPLES = [
  "offer-order.json",
  "accept-order.json",
  "tentative-accept.json",
  "reject-order.json",
  "update-change.json",
  "undo-cancel.json",
  "add-shipment.json",
  "add-receipt.json",
  "order-agreement.json",
  "fep0837-offer.json",
];

/** spec/discovery.md (test/spec/discovery.test.ts) */
export const DISCOVERY_EXAMPLES = ["relay-actor.json", "relay-follow.json", "relay-accept.json"];
