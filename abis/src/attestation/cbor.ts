import { InvalidInputError } from "../errors";

/**
 * A CBOR data item, as far as COSE_Sign1 and AWS Nitro attestation documents use CBOR (RFC 8949): integers
 * (`bigint` beyond 2⁵³), byte and text strings, arrays, maps, tags, booleans, null and undefined. No floats: Nitro
 * documents have none.
 */
export type CborValue =
  | number
  | bigint
  | string
  | Uint8Array
  | boolean
  | null
  | undefined
  | readonly CborValue[]
  | CborMap
  | CborTagged;

/** A CBOR map key: the integers and text strings COSE and Nitro documents use. */
export type CborKey = number | bigint | string;

/** A CBOR map, in the order its entries were written. */
export type CborMap = Map<CborKey, CborValue>;

/** A tagged CBOR item, e.g. COSE_Sign1's optional tag 18. */
export type CborTagged = { readonly tag: number | bigint; readonly value: CborValue };

// Nitro documents nest four levels deep; the limit only stops a hostile document from exhausting the stack.
const MAX_DEPTH = 32;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

type Reader = { readonly bytes: Uint8Array; offset: number };

function fail(reader: Reader, at: number, message: string): never {
  throw new InvalidInputError(`CBOR ${message} (at byte ${at} of ${reader.bytes.length}).`);
}

function readUint(reader: Reader, size: number, at: number): number | bigint {
  if (reader.offset + size > reader.bytes.length) fail(reader, at, `argument of ${size} bytes runs past the end`);
  let value = 0n;
  for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(reader.bytes[reader.offset + i] as number);
  reader.offset += size;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function readArgument(reader: Reader, info: number, at: number): number | bigint {
  if (info < 24) return info;
  if (info === 24) return readUint(reader, 1, at);
  if (info === 25) return readUint(reader, 2, at);
  if (info === 26) return readUint(reader, 4, at);
  if (info === 27) return readUint(reader, 8, at);
  return fail(reader, at, `additional information ${info} is reserved`);
}

/** A length or count that fits in what is left of the input (each array item or map entry takes at least one byte). */
function readLength(reader: Reader, info: number, at: number, unit: "bytes" | "items" | "entries"): number {
  const length = readArgument(reader, info, at);
  const left = reader.bytes.length - reader.offset;
  if (typeof length === "bigint" || length * (unit === "entries" ? 2 : 1) > left)
    fail(reader, at, `item declares ${length} ${unit} but only ${left} bytes follow`);
  return length;
}

const BREAK = 0xff;

/** True, consuming it, when the next byte ends an indefinite-length item. */
function readBreak(reader: Reader): boolean {
  if (reader.offset >= reader.bytes.length) fail(reader, reader.offset, "indefinite-length item has no break");
  if (reader.bytes[reader.offset] !== BREAK) return false;
  reader.offset++;
  return true;
}

/** An indefinite-length byte or text string: definite chunks of its own type, then a break. */
function readChunks(reader: Reader, major: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  while (!readBreak(reader)) {
    const chunkAt = reader.offset;
    const initial = reader.bytes[reader.offset++] as number;
    if (initial >> 5 !== major || (initial & 0x1f) === 31)
      fail(reader, chunkAt, "indefinite-length string has a chunk that is not a definite string of its type");
    const length = readLength(reader, initial & 0x1f, chunkAt, "bytes");
    chunks.push(reader.bytes.subarray(reader.offset, reader.offset + length));
    reader.offset += length;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const joined = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

function readItem(reader: Reader, depth: number): CborValue {
  const at = reader.offset;
  if (at >= reader.bytes.length) fail(reader, at, "input ends where an item was expected");
  if (depth > MAX_DEPTH) fail(reader, at, `items nest deeper than ${MAX_DEPTH} levels`);
  const initial = reader.bytes[reader.offset++] as number;
  const major = initial >> 5;
  const info = initial & 0x1f;
  // AWS's Nitro Secure Module writes the document's top-level map with indefinite length.
  const indefinite = info === 31 && major >= 2 && major <= 5;
  switch (major) {
    case 0:
      return readArgument(reader, info, at);
    case 1: {
      const n = readArgument(reader, info, at);
      return typeof n === "bigint" || n === Number.MAX_SAFE_INTEGER ? -1n - BigInt(n) : -1 - n;
    }
    case 2:
    case 3: {
      let content: Uint8Array;
      if (indefinite) content = readChunks(reader, major);
      else {
        const length = readLength(reader, info, at, "bytes");
        content = reader.bytes.subarray(reader.offset, reader.offset + length);
        reader.offset += length;
      }
      if (major === 2) return content;
      try {
        return utf8.decode(content);
      } catch {
        return fail(reader, at, "text string is not valid UTF-8");
      }
    }
    case 4: {
      const items: CborValue[] = [];
      if (indefinite) while (!readBreak(reader)) items.push(readItem(reader, depth + 1));
      else {
        const count = readLength(reader, info, at, "items");
        for (let i = 0; i < count; i++) items.push(readItem(reader, depth + 1));
      }
      return items;
    }
    case 5: {
      const count = indefinite ? Number.POSITIVE_INFINITY : readLength(reader, info, at, "entries");
      const map: CborMap = new Map();
      for (let i = 0; i < count && !(indefinite && readBreak(reader)); i++) {
        const keyAt = reader.offset;
        const key = readItem(reader, depth + 1);
        if (typeof key !== "number" && typeof key !== "bigint" && typeof key !== "string")
          fail(reader, keyAt, "map key is neither an integer nor a text string");
        if (map.has(key)) fail(reader, keyAt, `map repeats the key ${JSON.stringify(String(key))}`);
        map.set(key, readItem(reader, depth + 1));
      }
      return map;
    }
    case 6:
      return { tag: readArgument(reader, info, at), value: readItem(reader, depth + 1) };
    default:
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 23) return undefined;
      return fail(reader, at, `simple value or float (initial byte 0x${initial.toString(16)}) is not supported`);
  }
}

/**
 * Decodes one CBOR data item that spans all of `bytes`. Byte strings are views into `bytes`, not copies.
 * Throws `InvalidInputError` naming the offending byte offset.
 * @example decodeCbor(new Uint8Array([0x82, 0x01, 0x61, 0x61])) // [1, "a"]
 */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader: Reader = { bytes, offset: 0 };
  const value = readItem(reader, 0);
  if (reader.offset !== bytes.length)
    fail(reader, reader.offset, `input goes on after the item: ${bytes.length - reader.offset} more bytes`);
  return value;
}

function headerOf(major: number, argument: number | bigint): Uint8Array {
  const n = BigInt(argument);
  if (n < 0n || n >= 1n << 64n) throw new InvalidInputError(`CBOR argument ${n} does not fit in 64 bits.`);
  const first = major << 5;
  if (n < 24n) return Uint8Array.of(first | Number(n));
  const size = n < 0x100n ? 1 : n < 0x10000n ? 2 : n < 0x100000000n ? 4 : 8;
  const header = new Uint8Array(1 + size);
  header[0] = first | { 1: 24, 2: 25, 4: 26, 8: 27 }[size];
  for (let i = 0; i < size; i++) header[size - i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return header;
}

function encodeInto(value: CborValue, chunks: Uint8Array[]): void {
  if (typeof value === "number" || typeof value === "bigint") {
    if (typeof value === "number" && !Number.isSafeInteger(value))
      throw new InvalidInputError(`CBOR number ${value} is not a safe integer; floats are not supported.`);
    const n = BigInt(value);
    chunks.push(n >= 0n ? headerOf(0, n) : headerOf(1, -1n - n));
  } else if (typeof value === "string") {
    const bytes = utf8Encoder.encode(value);
    chunks.push(headerOf(3, bytes.length), bytes);
  } else if (value instanceof Uint8Array) {
    chunks.push(headerOf(2, value.length), value);
  } else if (typeof value === "boolean") {
    chunks.push(Uint8Array.of(value ? 0xf5 : 0xf4));
  } else if (value === null) {
    chunks.push(Uint8Array.of(0xf6));
  } else if (value === undefined) {
    chunks.push(Uint8Array.of(0xf7));
  } else if (Array.isArray(value)) {
    chunks.push(headerOf(4, value.length));
    for (const item of value as readonly CborValue[]) encodeInto(item, chunks);
  } else if (value instanceof Map) {
    chunks.push(headerOf(5, value.size));
    for (const [key, item] of value) {
      encodeInto(key, chunks);
      encodeInto(item, chunks);
    }
  } else {
    const tagged = value as CborTagged;
    chunks.push(headerOf(6, tagged.tag));
    encodeInto(tagged.value, chunks);
  }
}

/**
 * Encodes `value` as CBOR with the shortest argument forms and definite lengths, map entries in their order
 * (how COSE's Sig_structure is written).
 * @example encodeCbor(["Signature1", protectedHeader, new Uint8Array(), payload])
 */
export function encodeCbor(value: CborValue): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  encodeInto(value, chunks);
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
