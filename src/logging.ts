// LogTape setup, shared with Fedify (which logs under the "fedify" category).
// Our categories form a tree under "weft": ["weft", "federation", "inbox"], …

import { AsyncLocalStorage } from "node:async_hooks";
import {
  configure,
  getJsonLinesFormatter,
  getLogger,
  getTextFormatter,
  type Logger,
  type LogRecord,
} from "@logtape/logtape";
import type { Config } from "./config.ts";

export function logger(...category: string[]): Logger {
  return getLogger(["weft", ...category]);
}

/** Configures logging to stderr. Safe to call again (the last call wins). */
export async function setupLogging(config: Pick<Config, "logLevel" | "logFormat">): Promise<void> {
  const formatter = config.logFormat === "json" ? getJsonLinesFormatter() : getTextFormatter();
  // stderr keeps stdout free for CLI output. A plain function sink: a stream
  // sink would close process.stderr when a later configure() disposes it.
  const sink = (record: LogRecord) => {
    process.stderr.write(formatter(record));
  };
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { stderr: sink },
    loggers: [
      { category: ["weft"], lowestLevel: config.logLevel, sinks: ["stderr"] },
      // Fedify is chatty at info; keep it a step quieter than our own logs.
      {
        category: ["fedify"],
        lowestLevel: config.logLevel === "info" ? "warning" : config.logLevel,
        sinks: ["stderr"],
      },
      // Fedify logs every request it passes on (our API, pages) as a 404.
      {
        category: ["fedify", "federation", "http"],
        lowestLevel: config.logLevel === "fatal" ? "fatal" : "error",
        sinks: ["stderr"],
      },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}
