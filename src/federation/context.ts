import type { Context, RequestContext } from "@fedify/fedify";
import type { NodeServices } from "../services.ts";

export type { NodeServices };
export type WeftContext = Context<NodeServices>;
export type WeftRequestContext = RequestContext<NodeServices>;
