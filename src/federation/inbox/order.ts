// Order activities share their types with other uses (Accept of a Follow,
// Undo of a Follow, Update of an actor…): this wrapper lets the order code
// look first and passes everything else on.
import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import type { NodeServices } from "../context.ts";
import { receiveOrderActivity } from "../orders.ts";

type Listener<A extends Activity> = (ctx: InboxContext<NodeServices>, activity: A) => Promise<void>;

export function orderAware<A extends Activity>(next: Listener<A> | null): Listener<A> {
  return async (ctx, activity) => {
    if (await receiveOrderActivity(ctx, activity)) return;
    if (next) await next(ctx, activity);
  };
}
