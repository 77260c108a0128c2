// The code lists and patterns listings and orders are checked against
// (src/domain/codes.ts): a typo or a float must not get through.
import { describe, expect, it } from "vitest";
import { compareDecimal, DECIMAL_PATTERN, isCurrencyCode, isUnitCode, PERIOD_PATTERN } from "../../src/domain/codes.ts";

describe("unit and currency codes", () => {
  it("accepts the Rec 20 units Weft knows, exactly as written", () => {
    for (const unit of ["MTR", "H87", "KGM", "GM", "PR", "KWH"]) expect(isUnitCode(unit)).toBe(true);
    for (const unit of ["MTRS", "mtr", "metre", "", "BANANAS"]) expect(isUnitCode(unit)).toBe(false);
  });

  it("is not fooled by names every object has", () => {
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(isUnitCode(name)).toBe(false);
    }
  });

  it("accepts active ISO 4217 currencies only", () => {
    for (const code of ["EUR", "USD", "JPY", "KWD", "XOF"]) expect(isCurrencyCode(code)).toBe(true);
    for (const code of ["eur", "EURO", "XXX", "DEM", ""]) expect(isCurrencyCode(code)).toBe(false);
  });
});

describe("DECIMAL_PATTERN", () => {
  it("accepts plain non-negative decimals up to 15 digits and 6 decimals", () => {
    for (const ok of ["0", "500", "7.40", "0.5", "123456789012345", "1.123456"]) {
      expect(DECIMAL_PATTERN.test(ok), ok).toBe(true);
    }
  });

  it("refuses floats' spellings, signs, leading zeros and too many digits", () => {
    for (const bad of ["01", "1.", ".5", "1e3", "-1", "+1", "1.1234567", "1234567890123456", "1,5", " 1", ""]) {
      expect(DECIMAL_PATTERN.test(bad), bad).toBe(false);
    }
  });
});

describe("PERIOD_PATTERN", () => {
  it("accepts whole days, weeks, months and years only", () => {
    for (const ok of ["P1D", "P1W", "P2W", "P1M", "P1Y", "P10D"]) expect(PERIOD_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ["PT1H", "P1.5D", "1W", "P1W2D", "p1w", "P", "PW"])
      expect(PERIOD_PATTERN.test(bad), bad).toBe(false);
  });
});

describe("compareDecimal", () => {
  it("compares by value where comparing text would not", () => {
    expect(compareDecimal("10", "9.5")).toBe(1); // "10" < "9.5" as text
    expect(compareDecimal("2", "10")).toBe(-1);
    expect(compareDecimal("0.05", "0.5")).toBe(-1);
    expect(compareDecimal("1.5", "1.50")).toBe(0);
    expect(compareDecimal("1", "1.000")).toBe(0);
    expect(compareDecimal("1.0001", "1")).toBe(1);
    expect(compareDecimal("123456789012345.999999", "123456789012346")).toBe(-1);
  });
});
