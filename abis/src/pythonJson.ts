import { InvalidInputError } from "./errors";

// OpenGradient's TEE gateway hashes `json.dumps(value, sort_keys=True)` of Python values. JSON.stringify differs from
// it in almost every detail (separators, ensure_ascii escapes, float formatting, key order, int vs float), so this
// module models the Python values that `json.loads` yields and prints them exactly as CPython does.

/** A Python `float`. Python's JSON keeps `1.0` and `1` apart; so does this wrapper. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A Python `dict` with string keys: a Map keeps insertion order as Python does, integer-like keys included. */
export type PyDict = Map<string, PyValue>;

/** What Python's `json.loads` returns: None, bool, str, int (bigint), float, list, dict. */
export type PyValue = null | boolean | string | bigint | PyFloat | PyValue[] | PyDict;

/**
 * What the printers accept: Python values, or plain JS values. A plain JS number is an int when it is an integer
 * (`Number.isInteger`, so `1.0` and `-0` are ints) and a float otherwise; use `pyFloat(1)` to print `1.0`.
 * Object properties whose value is `undefined` are skipped, as JSON.stringify does.
 */
export type PyInput =
  | PyValue
  | number
  | undefined
  | readonly PyInput[]
  | ReadonlyMap<string, PyInput>
  | { readonly [key: string]: PyInput };

/** A Python float. @example dumpsPython([pyFloat(1), 1]) // "[1.0, 1]" */
export const pyFloat = (value: number) => new PyFloat(value);

/** A Python int (arbitrary size), from a safe integer, a bigint or a decimal string. */
export function pyInt(value: number | bigint | string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new InvalidInputError(`Python int ${value} is not a safe integer; pass a bigint or a decimal string.`);
  try {
    return BigInt(value);
  } catch (cause) {
    throw new InvalidInputError(`Python int "${String(value)}" is not a decimal integer.`, { cause });
  }
}

// CPython refuses int literals longer than this in json.loads (sys.get_int_max_str_digits(), Python ≥ 3.11).
const INT_MAX_STR_DIGITS = 4300;

/**
 * Parses JSON as Python's `json.loads` does: ints (bigint) stay apart from floats (`PyFloat`), objects keep their key
 * order, a duplicate key keeps its first position and its last value, and `NaN`, `Infinity`, `-Infinity` are accepted.
 * @example parsePythonJson('{"t": 1.0, "n": 1}') // Map { "t" => PyFloat(1), "n" => 1n }
 */
export function parsePythonJson(text: string): PyValue {
  if (typeof text !== "string") throw new InvalidInputError(`JSON text ${String(text)} is not a string.`);
  let i = 0;

  function fail(reason: string, at: number): never {
    throw new InvalidInputError(`Invalid JSON at ${positionOf(text, at)}: ${reason}, near ${nearOf(text, at)}.`, {
      details: text.length > 2000 ? `${text.slice(0, 2000)}…` : text,
    });
  }
  const skipWhitespace = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(i)) i++;
  };

  const parseString = (): string => {
    const start = i++;
    let out = "";
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail("Unterminated string starting at this position", start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i++);
        return out;
      }
      if (c < 0x20) fail("Invalid control character in string", i);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(chunk, i);
      const escaped = text[i + 1];
      if (escaped === undefined) fail("Unterminated string starting at this position", start);
      if (escaped === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\uXXXX escape", i + 1);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
      } else {
        const decoded = SIMPLE_ESCAPES[escaped];
        if (decoded === undefined) fail(`Invalid \\escape ${JSON.stringify(escaped)}`, i);
        out += decoded;
        i += 2;
      }
      chunk = i;
    }
  };

  const parseNumber = (): bigint | PyFloat => {
    const start = i;
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else fail("Expecting value", start);
    let isFloat = false;
    if (text[i] === "." && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i++;
      isFloat = true;
    }
    if (text[i] === "e" || text[i] === "E") {
      let j = i + 1;
      if (text[j] === "+" || text[j] === "-") j++;
      if (isDigit(text.charCodeAt(j))) {
        while (isDigit(text.charCodeAt(j))) j++;
        i = j;
        isFloat = true;
      }
    }
    const lexeme = text.slice(start, i);
    if (isFloat) return new PyFloat(Number(lexeme));
    const digits = lexeme.length - (lexeme[0] === "-" ? 1 : 0);
    if (digits > INT_MAX_STR_DIGITS)
      throw new InvalidInputError(
        `Invalid JSON at ${positionOf(text, start)}: an integer of ${digits} digits, more than the ${INT_MAX_STR_DIGITS} Python's json.loads accepts.`,
      );
    return BigInt(lexeme);
  };

  const parseValue = (): PyValue => {
    skipWhitespace();
    const c = text[i];
    if (c === '"') return parseString();
    if (c === "{") {
      const object: PyDict = new Map();
      i++;
      skipWhitespace();
      if (text[i] === "}") {
        i++;
        return object;
      }
      for (;;) {
        if (text[i] !== '"') fail("Expecting property name enclosed in double quotes", i);
        const key = parseString();
        skipWhitespace();
        if (text[i] !== ":") fail("Expecting ':' delimiter", i);
        i++;
        object.set(key, parseValue());
        skipWhitespace();
        if (text[i] === "}") {
          i++;
          return object;
        }
        if (text[i] !== ",") fail("Expecting ',' delimiter", i);
        i++;
        skipWhitespace();
      }
    }
    if (c === "[") {
      const list: PyValue[] = [];
      i++;
      skipWhitespace();
      if (text[i] === "]") {
        i++;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        skipWhitespace();
        if (text[i] === "]") {
          i++;
          return list;
        }
        if (text[i] !== ",") fail("Expecting ',' delimiter", i);
        i++;
      }
    }
    for (const [literal, value] of LITERALS) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return value instanceof PyFloat ? new PyFloat(value.value) : value;
      }
    }
    return parseNumber();
  };

  const value = parseValue();
  skipWhitespace();
  if (i < text.length) fail("Extra data", i);
  return value;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

const LITERALS: readonly (readonly [string, PyValue])[] = [
  ["null", null],
  ["true", true],
  ["false", false],
  ["NaN", new PyFloat(Number.NaN)],
  ["Infinity", new PyFloat(Number.POSITIVE_INFINITY)],
  ["-Infinity", new PyFloat(Number.NEGATIVE_INFINITY)],
];

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Python's way of naming a position: line, column and char, counted in code points. */
function positionOf(text: string, at: number) {
  const before = [...text.slice(0, at)];
  const lastNewline = before.lastIndexOf("\n");
  const line = before.filter((c) => c === "\n").length + 1;
  return `line ${line} column ${before.length - lastNewline} (char ${before.length})`;
}

function nearOf(text: string, at: number) {
  if (at >= text.length) return "the end of the text";
  const snippet = text.slice(at, at + 20);
  return JSON.stringify(at + 20 < text.length ? `${snippet}…` : snippet);
}

/** Options of `dumpsPython`: Python's `sort_keys` (default true here, as the gateway hashes) and `indent`. */
export type DumpsOptions = { sortKeys?: boolean; indent?: number };

/**
 * Byte-exact `json.dumps(value, sort_keys=True)`: separators `", "` and `": "`, ensure_ascii escapes, keys sorted by
 * code point, floats as `float.__repr__`. With `indent`, the item separator is `","` and lines break as Python's.
 * @example dumpsPython({ b: [pyFloat(1e-5), 2n], a: "é" }) // '{"a": "\\u00e9", "b": [1e-05, 2]}'
 */
export function dumpsPython(value: PyInput, { sortKeys = true, indent }: DumpsOptions = {}): string {
  const itemSeparator = indent === undefined ? ", " : ",";
  const encode = (item: PyInput, level: number): string => {
    if (item === null) return "null";
    if (item === true) return "true";
    if (item === false) return "false";
    if (typeof item === "string") return quoteJsonString(item);
    if (typeof item === "bigint") return item.toString();
    if (typeof item === "number") return Number.isInteger(item) ? BigInt(item).toString() : floatJsonOf(item);
    if (item instanceof PyFloat) return floatJsonOf(item.value);
    const open = indent === undefined ? "" : `\n${" ".repeat(indent * (level + 1))}`;
    const close = indent === undefined ? "" : `\n${" ".repeat(indent * level)}`;
    if (Array.isArray(item)) {
      if (item.length === 0) return "[]";
      const parts = item.map((element) => encode(element, level + 1));
      return `[${open}${parts.join(itemSeparator + open)}${close}]`;
    }
    const entries = entriesOf(item as ReadonlyMap<string, PyInput> | { readonly [key: string]: PyInput });
    if (sortKeys) entries.sort(([a], [b]) => compareCodePoints(a, b));
    if (entries.length === 0) return "{}";
    const parts = entries.map(([key, element]) => `${quoteJsonString(key)}: ${encode(element, level + 1)}`);
    return `{${open}${parts.join(itemSeparator + open)}${close}}`;
  };
  return encode(value, 0);
}

/**
 * Python's `repr()` of a JSON value: `None`, `True`, `'str'` with Python's quote choice and escapes, `1.0`, `nan`,
 * `[1, 2]`, `{'k': 'v'}` in insertion order. Non-ASCII code points print raw when Python deems them printable
 * (this uses the JS engine's Unicode tables, which may be newer than the Python's for just-assigned characters).
 * @example pyRepr([pyFloat(1), "it's"]) // `[1.0, "it's"]`
 */
export function pyRepr(value: PyInput): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return stringReprOf(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value).toString() : floatReprOf(value);
  if (value instanceof PyFloat) return floatReprOf(value.value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  const entries = entriesOf(value as ReadonlyMap<string, PyInput> | { readonly [key: string]: PyInput });
  return `{${entries.map(([key, element]) => `${stringReprOf(key)}: ${pyRepr(element)}`).join(", ")}}`;
}

/** Python's `str()`: a string itself, anything else its `repr()`. @example pyStr([1]) // "[1]" */
export function pyStr(value: PyInput): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/** Python truthiness: None, False, 0, 0.0, "", [] and {} are false. @example pyTruthy(pyFloat(Number.NaN)) // true */
export function pyTruthy(value: PyInput): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value.length > 0;
  if (typeof value === "bigint") return value !== 0n;
  if (typeof value === "number") return value !== 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  return entriesOf(value as { readonly [key: string]: PyInput }).length > 0;
}

/** Converts plain JS values (and Python values) into Python values, numbers as in `PyInput`. */
export function toPython(value: PyInput): PyValue {
  if (value === null || typeof value === "boolean" || typeof value === "string" || typeof value === "bigint")
    return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : new PyFloat(value);
  if (value instanceof PyFloat) return value;
  if (Array.isArray(value)) return value.map(toPython);
  if (typeof value === "object") {
    const entries = entriesOf(value as ReadonlyMap<string, PyInput> | { readonly [key: string]: PyInput });
    return new Map(entries.map(([key, element]) => [key, toPython(element)]));
  }
  throw new InvalidInputError(`Value ${String(value)} (${typeof value}) has no JSON form in Python.`);
}

function entriesOf(value: ReadonlyMap<string, PyInput> | { readonly [key: string]: PyInput }): [string, PyInput][] {
  const entries: [string, PyInput][] = [];
  const all = value instanceof Map ? value.entries() : Object.entries(value);
  for (const [key, element] of all) {
    if (typeof key !== "string") throw new InvalidInputError(`Dict key ${String(key)} is not a string.`);
    if (element === undefined) {
      if (value instanceof Map) throw new InvalidInputError(`Dict value of key "${key}" is undefined.`);
      continue;
    }
    if (typeof element === "function" || typeof element === "symbol")
      throw new InvalidInputError(`Dict value of key "${key}" is a ${typeof element}, which has no JSON form.`);
    entries.push([key, element]);
  }
  return entries;
}

/** Orders strings by code point, as Python compares `str` (UTF-16 order differs above U+E000). */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

// Characters json.dumps(ensure_ascii=True) writes raw: printable ASCII except `"` and `\`.
const JSON_NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const JSON_SHORT_ESCAPES: Record<number, string> = {
  34: '\\"',
  92: "\\\\",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  8: "\\b",
  12: "\\f",
};

function quoteJsonString(value: string): string {
  if (!JSON_NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) out += value[i];
    // Astral characters are two UTF-16 units already: escaping each gives Python's surrogate pair.
    else out += JSON_SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

// Python's str.isprintable(): false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (space excepted).
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function stringReprOf(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < value.length; ) {
    const cp = value.codePointAt(i)!;
    const char = String.fromCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
    if (char === quote || char === "\\") out += `\\${char}`;
    else if (char === "\t") out += "\\t";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x7f || !NOT_PRINTABLE.test(char)) out += char;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return out + quote;
}

/** `float.__repr__`, with json.dumps's names for the non-finite values. */
function floatJsonOf(value: number) {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return finiteFloatRepr(value);
}

function floatReprOf(value: number) {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return finiteFloatRepr(value);
}

/**
 * CPython's `repr(float)`: the shortest digits that round-trip (as JS finds them too), printed in fixed notation when
 * the decimal point falls within -4 < decpt <= 16 (with ".0" for integral values) and in exponent form otherwise.
 */
function finiteFloatRepr(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const decpt = Number(exponent) + 1; // value = 0.<digits> × 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${fraction}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
