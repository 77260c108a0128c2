// Code lists listings and orders are checked against.

/**
 * UN/ECE Recommendation 20 unit codes that trade between textile and
 * apparel co-ops uses. Rec 20 has ~2,000 codes; accepting any three-letter
 * string would let typos through ("MTRS"), so Weft keeps the ones its users
 * need and grows the list on request (add a line here).
 */
export const UNIT_CODES: Record<string, string> = {
  // counts
  H87: "piece",
  C62: "one (unit)",
  PR: "pair",
  DZN: "dozen",
  SET: "set",
  NAR: "number of articles",
  NPR: "number of pairs",
  // length
  MTR: "metre",
  CMT: "centimetre",
  MMT: "millimetre",
  KMT: "kilometre",
  YRD: "yard",
  FOT: "foot",
  INH: "inch",
  // area and volume
  MTK: "square metre",
  YDK: "square yard",
  MTQ: "cubic metre",
  LTR: "litre",
  MLT: "millilitre",
  // mass
  KGM: "kilogram",
  GRM: "gram",
  TNE: "tonne",
  LBR: "pound",
  ONZ: "ounce",
  GM: "gram per square metre",
  // time
  SEC: "second",
  MIN: "minute",
  HUR: "hour",
  DAY: "day",
  WEE: "week",
  MON: "month",
  ANN: "year",
  // energy
  KWH: "kilowatt hour",
};

export function isUnitCode(code: string): boolean {
  return Object.hasOwn(UNIT_CODES, code);
}

/** ISO 4217 active currency codes (2024 list). */
const CURRENCIES = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF " +
    "CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG " +
    "HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA " +
    "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD " +
    "RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX " +
    "USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"
  ).split(" "),
);

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** A non-negative decimal written as a string: "500", "7.40". Floats and exponents are refused. */
export const DECIMAL_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,6})?$/;

/** ISO 8601 durations Weft accepts for capacity rates: P1D, P1W, P2W, P1M, P1Y… */
export const PERIOD_PATTERN = /^P(\d+)([DWMY])$/;

/** Compares two decimal strings exactly (no floating point). */
export function compareDecimal(a: string, b: string): number {
  const [ai = "", af = ""] = a.split(".");
  const [bi = "", bf = ""] = b.split(".");
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const fa = af.padEnd(width, "0");
  const fb = bf.padEnd(width, "0");
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}
