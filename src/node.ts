// A running Weft node without its HTTP server: database, migrations, keys,
// federation, API and queue worker. main.ts serves it; tests start several.
import type { Hono } from "hono";
import { BackupSchedule } from "./actions/backups.ts";
import type { ActionContext } from "./actions/context.ts";
import type { ApiDeps } from "./api/env.ts";
import { createApp } from "./app.ts";
import { BackgroundTasks } from "./background.ts";
import type { Config } from "./config.ts";
import { type DatabaseHandle, type DatabaseSource, databaseSourceFor, openDatabase } from "./db/client.ts";
import { DrizzleKvStore } from "./db/kv.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { DrizzleMessageQueue, type DrizzleMessageQueueOptions } from "./db/queue.ts";
import { markInterruptedCrawls } from "./domain/crawls.ts";
import { fillMatchesIfEmpty } from "./domain/matching.ts";
import { countPeople } from "./domain/people.ts";
import { crashPoint } from "./fault.ts";
import { RefusingQueue } from "./federation/delivery-guard.ts";
import { createWeftFederation, type FederationDeps } from "./federation/index.ts";
import { loadOrCreateKeyPairs, loadRetiringKeyPairs } from "./federation/keys.ts";
import { RequestsInFlight } from "./in-flight.ts";
import { logger } from "./logging.ts";
import { loadOrCreateSecret } from "./secret.ts";
import type { NodeServices } from "./services.ts";
import { startTelemetry, type Telemetry } from "./telemetry.ts";

const log = logger("node");

/** How long close() waits for requests still in flight before closing the database. */
const REQUEST_DRAIN_MS = 10_000;

export interface WeftNode {
  app: Hono;
  /** The use cases' context: pages and tests call src/actions/ with it. */
  actions: ActionContext;
  deps: ApiDeps;
  database: DatabaseHandle;
  /** The node's message queue (Fedify's, on our database). */
  queue: DrizzleMessageQueue;
  /**
   * Waits for requests in flight, stops the queue worker (unfinished work
   * stays queued) and closes the database.
   */
  close(): Promise<void>;
}

export interface NodeOptions {
  /** Overrides the database chosen by the config (tests pass prepared databases). */
  database?: DatabaseSource;
  queue?: DrizzleMessageQueueOptions;
  delivery?: FederationDeps["delivery"];
}

export async function createNode(config: Config, options: NodeOptions = {}): Promise<WeftNode> {
  const database = await openDatabase(options.database ?? databaseSourceFor(config));
  let telemetry: Telemetry | undefined;
  try {
    telemetry = await startTelemetry(config);
    await migrateDatabase(database);
    const services: NodeServices = {
      db: database.db,
      config,
      keyPairs: await loadOrCreateKeyPairs(database.db),
      retiringKeyPairs: await loadRetiringKeyPairs(database.db),
      relayKeyPairs: config.relay ? await loadOrCreateKeyPairs(database.db, "relay") : undefined,
      background: new BackgroundTasks(),
    };
    await markInterruptedCrawls(database.db);
    // A node made before the matches table finds its matches once, in the background.
    services.background.run("finding matches", (signal) => fillMatchesIfEmpty(database.db, signal));
    if ((await countPeople(database.db)) === 0) {
      log.info(
        "Nobody can sign in to the workspace at {login} yet. Create the first owner while the node runs: npx weft user add you@your-coop.example --role owner",
        { login: `${config.origin}/login` },
      );
    }
    const kv = new DrizzleKvStore(database.db);
    const queue = new DrizzleMessageQueue(database.db, {
      // A PGlite folder is ours alone (its lock): every lease found at start is a dead process's.
      exclusive: database.driver === "pglite",
      beforeHandle: config.fault ? () => crashPoint(config, "handling:queue") : undefined,
      around: telemetry?.aroundHandle,
      ...options.queue,
    });
    // Deliveries to servers we do not talk to are dropped as they come up.
    const deliveries = new RefusingQueue(queue, services);
    const federation = createWeftFederation({
      config,
      kv,
      queue: deliveries,
      delivery: options.delivery,
      telemetry,
    });
    telemetry?.observeQueueDepth(() => queue.getDepth());
    const actions: ActionContext = { services, federation };
    const secret = await loadOrCreateSecret(config);
    const backups = config.backup
      ? new BackupSchedule(actions, { driver: database.driver, secret }, config.backup)
      : undefined;
    await backups?.start();
    const deps: ApiDeps = { actions, services, federation, database, queue, secret, backups };
    const inFlight = new RequestsInFlight();

    const stopQueue = new AbortController();
    // Whether the worker still runs, for /readyz: it ends only when stopped, or on an error.
    let workerState: "running" | "stopped" | "off" = config.queueWorker ? "running" : "off";
    const queueWorker = config.queueWorker
      ? federation
          .startQueue(services, { signal: stopQueue.signal })
          .catch((error) => {
            log.error("The queue worker stopped: {error}", { error });
          })
          .finally(() => {
            workerState = "stopped";
          })
      : Promise.resolve();
    const app = createApp(
      deps,
      inFlight,
      { queueDepth: () => queue.getDepth(), queueWorker: () => workerState },
      telemetry?.middleware,
    );
    const maintenance = setInterval(() => {
      kv.purgeExpired().catch((error) => log.warning("Could not purge the cache: {error}", { error }));
    }, 10 * 60_000);
    maintenance.unref();

    let closed: Promise<void> | undefined;
    return {
      app,
      actions,
      deps,
      database,
      queue,
      close: () => {
        closed ??= (async () => {
          clearInterval(maintenance);
          // Requests still being answered finish first (bounded: a stuck
          // remote fetch must not hold the shutdown).
          await inFlight.settled(REQUEST_DRAIN_MS);
          await backups?.close();
          // Crawls stop at their next step and record themselves as interrupted.
          await services.background.close();
          stopQueue.abort();
          await queueWorker;
          // Before the database: the last metric export reads the queue's depth.
          await telemetry?.shutdown();
          await database.close();
        })();
        return closed;
      },
    };
  } catch (error) {
    await telemetry?.shutdown();
    await database.close().catch(() => {});
    throw error;
  }
}
