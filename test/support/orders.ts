// Fixtures for order tests: a seller with listings and a buyer who follows it.
import { jersey, rib } from "./fixtures.ts";
import { eventually, startNetwork, type TestNode } from "./network.ts";

export { jersey, orderBody, rib } from "./fixtures.ts";

export interface Market {
  seller: TestNode;
  buyer: TestNode;
  jerseyIri: string;
  ribIri: string;
}

export async function follows(follower: TestNode, followed: TestNode): Promise<void> {
  await follower.api("POST", "/following", { handle: followed.account });
  await eventually(async () =>
    (await follower.api("GET", "/following")).body.items.some(
      (f: any) => f.actor.iri === followed.actorUrl && f.state === "accepted",
    ),
  );
}

/** Seller publishes two offers; buyer follows and has received both. */
export async function openMarket(nodes?: TestNode[]): Promise<Market> {
  const [seller, buyer] = nodes ?? ((await startNetwork(2)) as [TestNode, TestNode]);
  const jerseyIri = (await seller!.api("POST", "/listings", jersey)).body.iri;
  const ribIri = (await seller!.api("POST", "/listings", rib)).body.iri;
  await follows(buyer!, seller!);
  await eventually(async () => (await buyer!.api("GET", "/timeline")).body.items.length >= 2);
  return { seller: seller!, buyer: buyer!, jerseyIri, ribIri };
}

/** The order with IRI `iri` as `node` sees it (ids differ between nodes). */
export async function orderOn(node: TestNode, iri: string): Promise<any> {
  const list = (await node.api("GET", "/orders")).body.items;
  return list.find((o: any) => o.iri === iri);
}

/** What both parties must agree on: everything but local ids and timestamps. */
export function shared(order: any) {
  const { id: _id, role: _role, allowedActions: _a, createdAt: _c, updatedAt: _u, ...rest } = order;
  return rest;
}

export async function inStateOnBoth(m: Market, iri: string, state: string): Promise<[any, any]> {
  // eventually() resolves with the first truthy value, never null.
  return await eventually(async (): Promise<[any, any] | null> => {
    const [b, s] = [await orderOn(m.buyer, iri), await orderOn(m.seller, iri)];
    return b?.state === state && s?.state === state && b.version === s.version ? [b, s] : null;
  });
}
