// createWeftFederation(): Fedify set up for a Weft node. The inbox listeners
// are listed here, one line per activity type (order activities are looked
// at first: inbox/order.ts); the dispatchers are registered by the modules
// that own them (actor.ts: the actor, its keys, followers, following and
// outbox; listings.ts: listings and their collection; orders.ts: the
// buyer's order document; private-outbox.ts: the outbox POST that sends
// order activities), NodeInfo here. Requests reach Fedify through
// front-door.ts, which also takes the Offers Fedify cannot parse
// (inbox/plain-terms.ts); the node starts the queue worker (src/node.ts).
import {
  createFederation,
  type Federation,
  type FederationKvPrefixes,
  type FederationOptions,
  type KvStore,
  type MessageQueue,
} from "@fedify/fedify";
import { Accept, Add, Create, Delete, Follow, Offer, Reject, Undo, Update } from "@fedify/vocab";
import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import type { Config } from "../config.ts";
import { MemoryCachedKvStore } from "../db/kv.ts";
import { logger } from "../logging.ts";
import { SOFTWARE_NAME, VERSION } from "../version.ts";
import { registerActor } from "./actor.ts";
import type { NodeServices } from "./context.ts";
import { onFollow, onUndo } from "./inbox/follow.ts";
import { onAccept, onReject } from "./inbox/follow-answer.ts";
import { onCreate, onDelete } from "./inbox/listing.ts";
import { orderAware } from "./inbox/order.ts";
import { onUpdate } from "./inbox/update.ts";
import { fromAllowedServer } from "./inbox-guard.ts";
import { registerListings } from "./listings.ts";
import { nodeInfo } from "./nodeinfo.ts";
import { registerOrders } from "./orders.ts";
import { registerPrivateOutbox } from "./private-outbox.ts";

export interface FederationDeps {
  config: Config;
  kv: KvStore;
  queue: MessageQueue;
  /** Delivery tuning; tests shorten retries so lost deliveries recover in milliseconds. */
  delivery?: Pick<FederationOptions<NodeServices>, "outboxRetryPolicy" | "circuitBreaker">;
  /** OpenTelemetry (src/telemetry.ts), when OTEL_EXPORTER_OTLP_ENDPOINT is set; Fedify's no-op global otherwise. */
  telemetry?: { tracerProvider: TracerProvider; meterProvider: MeterProvider };
}

/** Fedify's caches read on every delivery (its defaults, named here so the memory layer knows them). */
const KV_PREFIXES = {
  publicKey: ["_fedify", "publicKey"],
  httpMessageSignaturesSpec: ["_fedify", "httpMessageSignaturesSpec"],
} as const satisfies Partial<FederationKvPrefixes>;

export function createWeftFederation({
  config,
  kv,
  queue,
  delivery,
  telemetry,
}: FederationDeps): Federation<NodeServices> {
  const federation = createFederation<NodeServices>({
    // Remote public keys and the signature form each server took, kept in
    // memory as well: otherwise two database round trips per delivery.
    kv: new MemoryCachedKvStore(kv, Object.values(KV_PREFIXES)),
    kvPrefixes: KV_PREFIXES,
    queue,
    // The queue worker is started by the node (src/node.ts), so that an
    // API-only process can run without it and shutdown can stop it.
    manuallyStartQueue: true,
    origin: config.origin,
    // SSRF guard: loopback and private addresses only when allowed (a local
    // trial, or WEFT_ALLOW_PRIVATE_ADDRESSES=true).
    allowPrivateAddress: config.allowPrivateAddresses,
    userAgent: { software: `${SOFTWARE_NAME}/${VERSION}`, url: new URL(config.origin) },
    // Fedify holds deliveries to a failing server for 30 minutes by default;
    // a co-op's node restarting for an update should get its orders within
    // a minute of coming back.
    circuitBreaker: { recoveryDelay: { minutes: 1 } },
    // Fedify's spans (inbox, outbox, signatures) and metrics (activitypub.delivery.sent with its
    // success, activitypub.delivery.permanent_failure, fedify.queue.*).
    tracerProvider: telemetry?.tracerProvider,
    meterProvider: telemetry?.meterProvider,
    ...delivery,
  });

  registerActor(federation);
  registerListings(federation);
  registerOrders(federation);
  // Order events leave through the actor's outbox, without a Linked Data signature.
  registerPrivateOutbox(federation);

  federation
    .setInboxListeners("/coops/{identifier}/inbox", "/inbox")
    // fromAllowedServer: blocked servers (or, in allow-list mode, servers
    // not allowed) are refused before anything is stored (inbox-guard.ts).
    .on(Follow, fromAllowedServer(onFollow))
    .on(Undo, fromAllowedServer(orderAware(onUndo)))
    .on(Accept, fromAllowedServer(orderAware(onAccept)))
    .on(Reject, fromAllowedServer(orderAware(onReject)))
    .on(Update, fromAllowedServer(orderAware(onUpdate)))
    .on(Create, fromAllowedServer(onCreate))
    .on(Delete, fromAllowedServer(onDelete))
    .on(Offer, fromAllowedServer(orderAware(null)))
    .on(Add, fromAllowedServer(orderAware(null)))
    .onError((_ctx, error) => {
      logger("federation", "inbox").error("Inbox listener failed: {error}", { error });
    });

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", nodeInfo);
  return federation;
}
