// The Fedify context every federation function is given: its context data
// is the node's services (src/services.ts).
import type { Context } from "@fedify/fedify";
import type { NodeServices } from "../services.ts";

export type { NodeServices };
export type WeftContext = Context<NodeServices>;
