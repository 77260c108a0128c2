// Order arithmetic (src/domain/orders/money.ts): decimals, never floats, and
// the currency's own minor unit with half-even rounding, so both nodes of an
// order compute the same totals to the last digit.
import { describe, expect, it } from "vitest";
import { add, compare, isZero, lineTotal, minorUnits, subtract, sum } from "../../src/domain/orders/money.ts";

describe("minorUnits", () => {
  it("knows the currencies without cents or with mills, and gives 2 to the rest", () => {
    expect(minorUnits("EUR")).toBe(2);
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
    // Unknown codes are refused elsewhere (codes.ts); here they get the common 2.
    expect(minorUnits("XYZ")).toBe(2);
  });
});

describe("lineTotal", () => {
  it("multiplies exactly where floats would not", () => {
    // 0.1 × 3 is 0.30000000000000004 in floating point.
    expect(lineTotal("3", "0.1", "EUR")).toBe("0.30");
    expect(lineTotal("200", "7.40", "EUR")).toBe("1480.00");
    expect(lineTotal("1.005", "1000", "USD")).toBe("1005.00");
  });

  it("rounds half to even at the currency's minor unit", () => {
    expect(lineTotal("1", "0.125", "EUR")).toBe("0.12");
    expect(lineTotal("1", "0.135", "EUR")).toBe("0.14");
    expect(lineTotal("3", "0.125", "EUR")).toBe("0.38"); // 0.375
    expect(lineTotal("1", "0.1251", "EUR")).toBe("0.13"); // not a tie
    expect(lineTotal("1", "2.5", "JPY")).toBe("2");
    expect(lineTotal("1", "3.5", "JPY")).toBe("4");
    expect(lineTotal("1", "0.0005", "KWD")).toBe("0.000");
    expect(lineTotal("3", "0.0005", "KWD")).toBe("0.002"); // 0.0015
  });

  it("keeps every digit of large amounts", () => {
    expect(lineTotal("999999999999999.999999", "999999999999999.999999", "EUR")).toBe(
      "999999999999999999998000000000.00",
    );
    expect(lineTotal("123456789012345", "1.01", "JPY")).toBe("124691356902468");
  });
});

describe("sum, add, subtract, compare, isZero", () => {
  it("sums at the currency's minor unit", () => {
    expect(sum(["0.10", "0.20"], "EUR")).toBe("0.30");
    expect(sum(["1480.00", "153.75"], "EUR")).toBe("1633.75");
    expect(sum([], "EUR")).toBe("0.00");
    expect(sum(["1", "2"], "JPY")).toBe("3");
    expect(sum(["0.001", "0.002"], "BHD")).toBe("0.003");
  });

  it("adds and subtracts exactly, in plain notation", () => {
    expect(add("0.1", "0.2")).toBe("0.3");
    expect(add("12.50", "0")).toBe("12.5");
    expect(subtract("1", "1.25")).toBe("-0.25");
    expect(subtract("200", "200.000")).toBe("0");
    expect(add("100000000000000000000000", "0.000001")).toBe("100000000000000000000000.000001");
    // Never exponent notation, however small.
    expect(subtract("0.0000001", "0")).toBe("0.0000001");
  });

  it("compares by value, not by text", () => {
    expect(compare("10", "9.99")).toBe(1);
    expect(compare("1.50", "1.5")).toBe(0);
    expect(compare("0.05", "0.5")).toBe(-1);
    expect(isZero("0.000")).toBe(true);
    expect(isZero("0.001")).toBe(false);
  });
});
