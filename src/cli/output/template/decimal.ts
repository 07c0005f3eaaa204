/**
 * Exact decimal rounding of doubles, half to even as Go's strconv does (JavaScript's toFixed
 * rounds ties up: Go prints 2.5 with %.0f as "2", JavaScript as "3").
 */

/** exact is a non-negative double written as digits × 10^-scale, with no rounding at all. */
function exact(abs: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  if (biased !== 0) mantissa |= 1n << 52n;
  const exp2 = (biased === 0 ? 1 : biased) - 1075;
  if (exp2 >= 0) return { digits: mantissa << BigInt(exp2), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exp2), scale: -exp2 };
}

function roundAway(digits: bigint, cut: number): bigint {
  if (cut <= 0) return digits * 10n ** BigInt(-cut);
  const unit = 10n ** BigInt(cut);
  let q = digits / unit;
  const r = digits % unit;
  const half = unit / 2n;
  if (r > half || (r === half && q % 2n === 1n)) q++;
  return q;
}

/** toFixedEven is toFixed with Go's rounding: `precision` digits after the point. */
export function toFixedEven(abs: number, precision: number): string {
  const { digits, scale } = exact(abs);
  const text = roundAway(digits, scale - precision)
    .toString()
    .padStart(precision + 1, "0");
  return precision === 0 ? text : `${text.slice(0, -precision)}.${text.slice(-precision)}`;
}

/** significant rounds to `count` significant digits; it returns them and the decimal exponent of the first. */
export function significant(abs: number, count: number): { digits: string; exp: number } {
  if (abs === 0) return { digits: "0".repeat(count), exp: 0 };
  const { digits, scale } = exact(abs);
  const length = digits.toString().length;
  let rounded = roundAway(digits, length - count).toString();
  let exp = length - scale - 1;
  if (rounded.length > count) {
    rounded = rounded.slice(0, count);
    exp++;
  }
  return { digits: rounded, exp };
}
