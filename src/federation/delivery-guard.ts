// Deliveries to servers we do not talk to are dropped. Every delivery,
// whether to followers (Fedify's fan-out), to one co-op (a follow, an order
// event) or forwarded by our hub, ends as one queued "outbox" message per
// inbox; this wraps the queue's listener so such a message to a blocked
// server (or, in allow-list mode, one not allowed) is dropped when its turn
// comes. Checking at delivery rather than at sending also stops the retries
// already queued for a server blocked afterwards.
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { refusalOf } from "../domain/domain-rules.ts";
import { logger } from "../logging.ts";
import type { NodeServices } from "../services.ts";

const log = logger("federation", "delivery", "refused");

/** The inbox of a queued Fedify delivery; null for any other message. */
function deliveryInbox(message: unknown): string | null {
  if (typeof message !== "object" || message === null) return null;
  const { type, inbox } = message as { type?: unknown; inbox?: unknown };
  return type === "outbox" && typeof inbox === "string" ? inbox : null;
}

export class RefusingQueue implements MessageQueue {
  readonly nativeRetrial: boolean | undefined;
  readonly #inner: MessageQueue;
  readonly #services: Pick<NodeServices, "db" | "config">;

  constructor(inner: MessageQueue, services: Pick<NodeServices, "db" | "config">) {
    this.#inner = inner;
    this.#services = services;
    this.nativeRetrial = inner.nativeRetrial;
    if (inner.enqueueMany) this.enqueueMany = inner.enqueueMany.bind(inner);
    if (inner.getDepth) this.getDepth = inner.getDepth.bind(inner);
  }

  enqueueMany?: (messages: readonly unknown[], options?: MessageQueueEnqueueOptions) => Promise<void>;
  getDepth?: () => Promise<MessageQueueDepth>;

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.#inner.enqueue(message, options);
  }

  listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions): Promise<void> {
    return this.#inner.listen(async (message) => {
      const inbox = deliveryInbox(message);
      if (inbox) {
        const { db, config } = this.#services;
        const refusal = await refusalOf(db, config.federation, inbox);
        if (refusal) {
          const { activityType, activityId } = message as { activityType?: string; activityId?: string };
          log.info("Dropped {type} {id} to {inbox}: the server is {refusal}", {
            type: activityType,
            id: activityId,
            inbox,
            refusal,
          });
          return;
        }
      }
      await handler(message);
    }, options);
  }
}
