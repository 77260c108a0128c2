import "../../src/temporal.ts";
import { setupLogging } from "../../src/logging.ts";

// Quiet by default; WEFT_TEST_LOG=debug shows everything the nodes log.
await setupLogging({
  logLevel: (process.env.WEFT_TEST_LOG as "debug" | undefined) ?? "fatal",
  logFormat: "text",
});
