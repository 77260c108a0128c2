// Shared fixtures with no test-runner imports, so bench/ can use them too.

/** The JSON-LD context hand-made FEP-0837 payloads use (the terms as Fedify defines them). */
export const FEP0837_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    vf: "https://w3id.org/valueflows/ont/vf#",
    om2: "http://www.ontology-of-units-of-measure.org/resource/om-2/",
    Proposal: "vf:Proposal",
    Intent: "vf:Intent",
    Agreement: "vf:Agreement",
    Commitment: "vf:Commitment",
    purpose: "vf:purpose",
    unitBased: "vf:unitBased",
    publishes: "vf:publishes",
    reciprocal: "vf:reciprocal",
    action: "vf:action",
    stipulates: "vf:stipulates",
    stipulatesReciprocal: "vf:stipulatesReciprocal",
    satisfies: { "@id": "vf:satisfies", "@type": "@id" },
    resourceConformsTo: { "@id": "vf:resourceConformsTo", "@type": "@id" },
    resourceQuantity: "vf:resourceQuantity",
    availableQuantity: "vf:availableQuantity",
    minimumQuantity: "vf:minimumQuantity",
    hasUnit: "om2:hasUnit",
    hasNumericalValue: "om2:hasNumericalValue",
  },
];

export const jersey = {
  kind: "offer",
  title: "Organic cotton jersey",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "USD", per: "MTR" },
  region: "US-NC",
};

export const rib = {
  ...jersey,
  title: "Rib trim",
  quantity: { amount: "100", unit: "MTR" },
  minimumOrder: null,
  price: { amount: "5.125", currency: "USD", per: "MTR" },
};

/** A two-line order from the jersey and rib listings. */
export function orderBody(m: { jerseyIri: string; ribIri: string }, overrides: Record<string, unknown> = {}) {
  return {
    lines: [
      {
        listing: m.jerseyIri,
        quantity: { amount: "200", unit: "MTR" },
        unitPrice: { amount: "7.40", currency: "USD" },
      },
      { listing: m.ribIri, quantity: { amount: "30", unit: "MTR" }, unitPrice: { amount: "5.125", currency: "USD" } },
    ],
    deliveryWindow: { from: "2027-02-01", until: "2027-02-15" },
    deliverTo: { name: "Burke Knit Co-op", address: "200 Avery Ave, Morganton", region: "US-NC" },
    partialDelivery: true,
    note: "Please roll on cores.",
    ...overrides,
  };
}
