// What a use case needs: the node's services and a way to reach the
// federation (to send what a change causes). Built once per node in
// node.ts and handed to the API, the pages and the tests alike.
import type { Context, Federation } from "@fedify/fedify";
import type { NodeServices } from "../services.ts";

export interface ActionContext {
  services: NodeServices;
  federation: Federation<NodeServices>;
}

/** A Fedify context for the node's own origin, for use cases that send activities. */
export function federationContext(weft: ActionContext): Context<NodeServices> {
  return weft.federation.createContext(new URL(weft.services.config.origin), weft.services);
}
