import { encodeAbiParameters, type Hex, keccak256 } from "viem";
import { InvalidInputError } from "../errors";
import { keccak256Bytes, keccak256Of, writeHex, writeUint256 } from "../keccak";

/** The Solidity types that settlement leaves use. */
export type LeafAbiType = "bytes32" | "bytes" | "uint256";

type ValueOfType<type> = type extends "uint256" ? bigint : Hex;

type Prettify<type> = { [key in keyof type]: type[key] } & {};

/** The leaf an encoding describes: its name as `encoding`, and one field per value, typed by its Solidity type. */
export type LeafOf<
  name extends string,
  fields extends readonly string[],
  types extends readonly LeafAbiType[],
> = Prettify<
  { encoding: name } & {
    [index in keyof fields & `${number}` as fields[index]]: ValueOfType<types[index & keyof types]>;
  }
>;

/** One era of settlement leaves: the values a StandardMerkleTree was built over, and how to read and hash them. */
export type LeafEncoding<leaf extends { encoding: string } = { encoding: string }> = {
  name: leaf["encoding"];
  /** The leaf's field names, in value order. */
  fields: readonly string[];
  /** The tree's `leafEncoding`: the values' Solidity types. */
  types: readonly LeafAbiType[];
  /** The leaf whose values (as a dump holds them) these are; throws `InvalidInputError` naming the bad value. */
  fromValues(values: unknown): leaf;
  /** The values as a dump holds them: lowercase 0x hex, uint256 as a decimal string. */
  valuesOf(leaf: leaf): string[];
  /** The StandardMerkleTree leaf hash: `keccak256(keccak256(abi.encode(...values)))`. */
  leafHashOf(leaf: leaf): Hex;
  /** The inference the leaf settles, for eras whose leaves carry the TEE ID and timestamp. */
  inferenceIdOf?(leaf: leaf): Hex;
};

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;
const DECIMAL = /^[0-9]+$/;
const HEX_NUMBER = /^0x[0-9a-fA-F]+$/;
const UINT256_LIMIT = 1n << 256n;

const EXPECTED: Record<LeafAbiType, string> = {
  bytes32: "a bytes32 (0x followed by 64 hex digits)",
  bytes: "hex bytes (0x followed by an even number of hex digits)",
  uint256: "a uint256 (a decimal string, a 0x hex string or a non-negative integer, below 2^256)",
};

/** The value in an error message: strings as they are, anything else as JSON, long ones cut. */
export function quoteValue(value: unknown): string {
  const text =
    typeof value === "string" ? `"${value}"` : typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
  if (text === undefined) return "undefined";
  return text.length > 80 ? `${text.slice(0, 77)}…${text.at(-1)}` : text;
}

/** A dump value of `type`, checked and normalised; undefined when it is not one. */
function parseValue(type: LeafAbiType, value: unknown): Hex | bigint | undefined {
  if (type === "uint256") {
    let number: bigint | undefined;
    if (typeof value === "bigint") number = value;
    else if (typeof value === "number" && Number.isSafeInteger(value)) number = BigInt(value);
    else if (typeof value === "string" && (DECIMAL.test(value) || HEX_NUMBER.test(value))) number = BigInt(value);
    return number !== undefined && number >= 0n && number < UINT256_LIMIT ? number : undefined;
  }
  if (typeof value !== "string" || !(type === "bytes32" ? BYTES32 : BYTES).test(value)) return undefined;
  return value.toLowerCase() as Hex;
}

/** `abi.encode(...values)` written directly; null when a value is not valid for its type (viem's encoder says why). */
function encodedOf(types: readonly LeafAbiType[], values: readonly unknown[]): Uint8Array | null {
  // Head words first; each `bytes` value's head is the offset of its tail: a length word, then the bytes padded.
  let size = 32 * types.length;
  for (const [i, type] of types.entries()) {
    if (type !== "bytes") continue;
    const value = values[i];
    if (typeof value !== "string" || value.length % 2 !== 0) return null;
    size += 32 + 32 * Math.ceil((value.length - 2) / 64);
  }
  const encoded = new Uint8Array(size);
  let tail = 32 * types.length;
  for (const [i, type] of types.entries()) {
    const value = values[i];
    const head = 32 * i;
    if (type === "uint256") {
      if (typeof value !== "bigint" || !writeUint256(encoded, head, value)) return null;
    } else if (type === "bytes32") {
      if (typeof value !== "string" || !writeHex(encoded, head, value, 32)) return null;
    } else {
      const length = ((value as string).length - 2) / 2;
      if (!writeUint256(encoded, head, BigInt(tail)) || !writeUint256(encoded, tail, BigInt(length))) return null;
      if (!writeHex(encoded, tail + 32, value as string, length)) return null;
      tail += 32 + 32 * Math.ceil(length / 32);
    }
  }
  return encoded;
}

/** What defines a leaf era: its fields' names and Solidity types, in value order. */
type LeafEncodingDefinition<
  name extends string,
  fields extends readonly string[],
  types extends readonly LeafAbiType[],
> = {
  name: name;
  /** The era's name in messages ("E3 leaf value 1 …"). */
  title: string;
  fields: fields;
  types: types;
  inferenceIdOf?: (leaf: LeafOf<name, fields, types>) => Hex;
};

/** The era a definition gives (the overload with `inferenceIdOf` adds that method, required). */
type DefinedLeafEncoding<
  name extends string,
  fields extends readonly string[],
  types extends readonly LeafAbiType[],
> = LeafEncoding<LeafOf<name, fields, types>> & { name: name; fields: fields; types: types };

/**
 * Defines a leaf era from its field names and Solidity types (in value order); the leaf type, value parsing,
 * dump values and leaf hash follow from them.
 * @example const e1 = defineLeafEncoding({ name: "e1", title: "E1", fields: ["inputHash", "outputHash"], types: ["bytes32", "bytes32"] })
 */
export function defineLeafEncoding<
  const name extends string,
  const fields extends readonly string[],
  const types extends readonly LeafAbiType[],
>(
  definition: LeafEncodingDefinition<name, fields, types> & {
    inferenceIdOf: (leaf: LeafOf<name, fields, types>) => Hex;
  },
): DefinedLeafEncoding<name, fields, types> & { inferenceIdOf(leaf: LeafOf<name, fields, types>): Hex };
export function defineLeafEncoding<
  const name extends string,
  const fields extends readonly string[],
  const types extends readonly LeafAbiType[],
>(definition: LeafEncodingDefinition<name, fields, types>): DefinedLeafEncoding<name, fields, types>;
export function defineLeafEncoding<
  const name extends string,
  const fields extends readonly string[],
  const types extends readonly LeafAbiType[],
>(definition: LeafEncodingDefinition<name, fields, types>): DefinedLeafEncoding<name, fields, types> {
  type leaf = LeafOf<name, fields, types>;
  const { name, title, fields, types, inferenceIdOf } = definition;
  const list = types.join(", ");
  const valuesOfLeaf = (leaf: leaf): unknown[] => fields.map((field) => (leaf as Record<string, unknown>)[field]);

  return {
    name,
    fields,
    types,
    fromValues(values) {
      if (!Array.isArray(values) || values.length !== types.length)
        throw new InvalidInputError(
          `An ${title} leaf is an array of ${types.length} values (${list}); got ${quoteValue(values)}.`,
        );
      const leaf: Record<string, unknown> = { encoding: name };
      for (const [i, type] of types.entries()) {
        const value = parseValue(type, values[i]);
        if (value === undefined)
          throw new InvalidInputError(
            `${title} leaf value ${i} (${fields[i]}) ${quoteValue(values[i])} is not ${EXPECTED[type]}.`,
          );
        leaf[fields[i] as string] = value;
      }
      return leaf as leaf;
    },
    valuesOf(leaf) {
      return valuesOfLeaf(leaf).map((value) =>
        typeof value === "bigint" ? value.toString() : String(value).toLowerCase(),
      );
    },
    leafHashOf(leaf) {
      const values = valuesOfLeaf(leaf);
      const encoded = encodedOf(types, values);
      if (encoded) return keccak256Of(keccak256Bytes(encoded));
      return keccak256(
        keccak256(
          encodeAbiParameters(
            types.map((type) => ({ type })),
            values,
          ),
        ),
      );
    },
    ...(inferenceIdOf && { inferenceIdOf }),
  } as DefinedLeafEncoding<name, fields, types>;
}
