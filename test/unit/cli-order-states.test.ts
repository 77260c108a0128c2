// The CLI checks --state against its own copy of the order states (it knows
// the node only through the API); the copy must not drift from the domain's.
import { describe, expect, it } from "vitest";
import { ORDER_STATES as CLI_STATES } from "../../src/cli/order-format.ts";
import { ORDER_STATES } from "../../src/domain/orders/machine.ts";

describe("the CLI's order states", () => {
  it("are the domain's", () => {
    expect([...CLI_STATES]).toEqual([...ORDER_STATES]);
  });
});
