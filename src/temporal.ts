// Node 24 has no global Temporal yet; Fedify's API takes and returns
// Temporal values, so install the polyfill as the global before anything
// else runs. Import this module first in every entry point.
import { Temporal as TemporalPolyfill } from "@js-temporal/polyfill";

if (typeof globalThis.Temporal === "undefined") {
  Object.defineProperty(globalThis, "Temporal", {
    value: TemporalPolyfill,
    writable: true,
    configurable: true,
  });
}
