// Order arithmetic in decimals (decimal.js), never floats, so both nodes
// compute the same totals to the last digit.
import { Decimal as BaseDecimal } from "decimal.js";

// decimal.js defaults to 20 significant digits, which would round large
// amounts twice; 64 is far beyond any order.
const Decimal = BaseDecimal.clone({ precision: 64 });
type Decimal = InstanceType<typeof Decimal>;

// Currencies whose minor unit is not 2 digits (ISO 4217).
const MINOR_UNITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** quantity × unit price, rounded half-even to the currency's minor unit. */
export function lineTotal(quantity: string, unitPrice: string, currency: string): string {
  return new Decimal(quantity)
    .times(unitPrice)
    .toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_EVEN)
    .toFixed(minorUnits(currency));
}

export function sum(amounts: string[], currency: string): string {
  return amounts.reduce((acc, a) => acc.plus(a), new Decimal(0)).toFixed(minorUnits(currency));
}

export function add(a: string, b: string): string {
  return normalise(new Decimal(a).plus(b));
}

export function subtract(a: string, b: string): string {
  return normalise(new Decimal(a).minus(b));
}

export function compare(a: string, b: string): number {
  return new Decimal(a).comparedTo(b);
}

export function isZero(a: string): boolean {
  return new Decimal(a).isZero();
}

/** Decimal → the plain string form used everywhere ("12.5", never "1.25e+1"). */
function normalise(d: Decimal): string {
  return d.toFixed();
}
