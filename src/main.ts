// The node's entry point: config → logging → node → HTTP server, and a clean
// stop on SIGTERM/SIGINT.
import "./node-version.ts";
import "./temporal.ts";
import type { Server, ServerResponse } from "node:http";
import { serve } from "@hono/node-server";
import { drain } from "@logtape/logtape";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { DataDirLockedError } from "./db/lock.ts";
import { DatabaseFolderError } from "./db/pglite-init.ts";
import { installDeliveryCap } from "./delivery-cap.ts";
import { installFetchTimeout } from "./http-timeout.ts";
import { logger, setupLogging } from "./logging.ts";
import { createNode } from "./node.ts";

const log = logger("main");

export async function startServer(config: Config): Promise<void> {
  await setupLogging(config);
  const started = performance.now();
  installFetchTimeout(config.httpTimeoutMs);
  // Outside the time limit: a delivery's time starts when it gets its slot.
  installDeliveryCap(config.deliveriesPerHost);
  const node = await createNode(config);
  const server = serve({ fetch: node.app.fetch, port: config.port, hostname: config.host }) as Server;
  let stopping = false;
  // Responses in progress: a stop answers them with `Connection: close`, so
  // keep-alive clients cannot hold the process open after their last answer.
  const responses = new Set<ServerResponse>();
  server.prependListener("request", (_request, response: ServerResponse) => {
    if (stopping) response.shouldKeepAlive = false;
    responses.add(response);
    response.once("close", () => responses.delete(response));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    // No server (the port is taken): close the database and release its lock.
    await node.close();
    throw error;
  }
  log.info("Weft node {handle} is running at {origin} (database: {driver}, ready in {ms} ms)", {
    handle: `${config.handle}@${new URL(config.origin).host}`,
    origin: config.origin,
    driver: node.database.driver,
    ms: Math.round(performance.now() - started),
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("Received {signal}; stopping", { signal });
    // Stop accepting connections; requests in flight finish first.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const response of responses) response.shouldKeepAlive = false;
      server.closeIdleConnections();
    });
    await node.close();
    log.info("Stopped");
    // Log records are written asynchronously: flush them before exiting.
    await drain().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** Loads the config and starts; any failure is one readable message and exit code 1. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  try {
    await startServer(config);
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof DatabaseFolderError) {
      console.error(error.message);
      process.exit(1);
    }
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(`Port ${config.port} is already in use; set PORT to another port.`);
      process.exit(1);
    }
    throw error;
  }
}

if (import.meta.main) await main();
