import { blobIdOfRawBytes, e3, parseTreeDump, treeDumpOf } from "@settlescan/abis";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type SeededDatabase, startSeededDatabase } from "../test/seededDatabase";
import {
  blobLeafFieldsOf,
  blobLeavesOf,
  clearBlobLeavesCache,
  parsedBlobCache,
  proofOfLeaf,
  signatureOfLeaf,
} from "./blobLeaves";
import { createContext } from "./context";
import type { LeafRow, SettlementRow } from "./db";
import { DEFAULT_LIMITS } from "./limits";

type Hex = `0x${string}`;
const word = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const signature = (n: number): Hex => `0x${n.toString(16).padStart(2, "0").repeat(256)}`;

const leaves = [1, 2, 3].map((n) => e3.fromValues([word(0x7e), word(n), word(0x100 + n), signature(n), String(n)]));
const dump = JSON.stringify(treeDumpOf(leaves, e3));
const tree = parseTreeDump(dump);
const BLOB = blobIdOfRawBytes(word(0xb1));
const NOT_A_DUMP = blobIdOfRawBytes(word(0xb2));
const NOT_ARCHIVED = blobIdOfRawBytes(word(0xb3));

const batch = (blobId: string | null, n = 1) => ({ id: `${word(n)}-0`, kind: "batch", blobId }) as SettlementRow;
const leafRow = (settlement: SettlementRow, leafIndex: number, sig: Hex | null = null) =>
  ({ id: `${settlement.id}-${leafIndex}`, settlementId: settlement.id, leafIndex, signature: sig }) as LeafRow;

let seeded: SeededDatabase;
const contextOf = () => createContext({ db: seeded.db, tables: seeded.tables, limits: DEFAULT_LIMITS });

beforeAll(async () => {
  seeded = await startSeededDatabase();
  await seeded.insert(
    seeded.tables.blob,
    [
      [BLOB, dump],
      [NOT_A_DUMP, "not json"],
    ].map(([id, content]) => ({ id, content, size: content!.length, source: "aggregator" })),
  );
});
afterAll(() => seeded?.stop());
beforeEach(() => clearBlobLeavesCache());

describe("blobLeavesOf", () => {
  test("default", () => {
    expect(blobLeavesOf(dump)).toEqual(
      tree.leaves.map((l) => ({ proof: l.proof, signature: "signature" in l.leaf ? l.leaf.signature : null })),
    );
  });

  test("behavior: a blob that is not a tree dump has no leaves", () => {
    expect(blobLeavesOf("not json")).toBeNull();
    expect(blobLeavesOf(JSON.stringify({ format: "standard-v1" }))).toBeNull();
  });
});

describe("parsedBlobCache", () => {
  const parsed = blobLeavesOf(dump)!;

  test("default", () => {
    const cache = parsedBlobCache(100);
    cache.remember("a", parsed);
    cache.remember("b", null);
    expect(cache.recall("a")).toBe(parsed);
    expect(cache.recall("b")).toBeNull();
    expect(cache.recall("c")).toBeUndefined();
  });

  test("behavior: beyond its leaves it drops the least recently used blobs", () => {
    // Each 3-leaf blob weighs 4.
    const cache = parsedBlobCache(8);
    cache.remember("a", parsed);
    cache.remember("b", parsed);
    cache.recall("a");
    cache.remember("c", parsed);
    expect(cache.blobIds()).toEqual(["a", "c"]);
    // A blob heavier than the whole cache is still kept, alone, until the next one.
    const tiny = parsedBlobCache(2);
    tiny.remember("a", parsed);
    expect(tiny.blobIds()).toEqual(["a"]);
    tiny.remember("b", null);
    expect(tiny.blobIds()).toEqual(["b"]);
  });
});

describe("blobLeafFieldsOf", () => {
  test("default", async () => {
    const ctx = contextOf();
    const settlement = batch(BLOB);
    const fields = await Promise.all(
      tree.leaves.map((l) => blobLeafFieldsOf(ctx, leafRow(settlement, l.index), settlement)),
    );
    expect(fields.map((f) => f.proof)).toEqual(tree.leaves.map((l) => l.proof));
    expect(fields.map((f) => f.signature)).toEqual(
      tree.leaves.map((l) => ("signature" in l.leaf ? l.leaf.signature : null)),
    );
    expect(fields[0]!.proof.length).toBeGreaterThan(0);
    // Every leaf of the request's blobs from one statement.
    expect(ctx.counter.count).toBe(1);
  });

  test("behavior: a parsed blob is kept across requests", async () => {
    const settlement = batch(BLOB);
    const first = contextOf();
    await blobLeafFieldsOf(first, leafRow(settlement, 1), settlement);
    const second = contextOf();
    const fields = await blobLeafFieldsOf(second, leafRow(settlement, 2), settlement);
    expect(fields.proof).toEqual(tree.leaves[2]!.proof);
    expect([first.counter.count, second.counter.count]).toEqual([1, 0]);
  });

  test("behavior: an individual settlement's leaf has no proof and the row's signature", async () => {
    const ctx = contextOf();
    const settlement = { id: `${word(9)}-3`, kind: "individual", blobId: BLOB } as SettlementRow;
    expect(await blobLeafFieldsOf(ctx, leafRow(settlement, 0, signature(9)), settlement)).toEqual({
      proof: [],
      signature: signature(9),
    });
    expect(ctx.counter.count).toBe(0);
  });

  test("behavior: a blob not archived, a leaf index the blob lacks, a blob that is no tree dump", async () => {
    const ctx = contextOf();
    const errorOf = (settlement: SettlementRow, index: number) =>
      blobLeafFieldsOf(ctx, leafRow(settlement, index), settlement).then(
        () => "no error",
        (error: Error) => error.message,
      );
    expect(await errorOf(batch(NOT_ARCHIVED, 2), 0)).toMatchInlineSnapshot(
      `"Leaf 0x0000000000000000000000000000000000000000000000000000000000000002-0-0 is in batch 0x0000000000000000000000000000000000000000000000000000000000000002-0, whose blob AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALM is not archived: its proof and signature cannot be read."`,
    );
    expect(await errorOf(batch(BLOB), 3)).toMatchInlineSnapshot(
      `"Leaf 0x0000000000000000000000000000000000000000000000000000000000000001-0-3 has index 3, but blob AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALE holds 3 leaves."`,
    );
    expect(await errorOf(batch(NOT_A_DUMP, 4), 0)).toMatchInlineSnapshot(
      `"Leaf 0x0000000000000000000000000000000000000000000000000000000000000004-0-0 has index 0, but blob AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALI holds no tree dump."`,
    );
  });
});

describe("leaf row resolvers", () => {
  test("default", async () => {
    const ctx = contextOf();
    const settlement = batch(BLOB);
    ctx.loaders.settlement.prime(settlement.id, settlement);
    const row = { ...leafRow(settlement, 0), encoding: "e3" } as LeafRow;
    expect(await proofOfLeaf(ctx, row)).toEqual(tree.leaves[0]!.proof);
    expect(await signatureOfLeaf(ctx, row)).toBe(
      ("signature" in tree.leaves[0]!.leaf && tree.leaves[0]!.leaf.signature) || null,
    );
  });

  test("behavior: eras without a signature, and signatures the row keeps, need no blob", async () => {
    const ctx = contextOf();
    const settlement = batch(NOT_ARCHIVED, 5);
    expect(await signatureOfLeaf(ctx, { ...leafRow(settlement, 0), encoding: "e1" } as LeafRow)).toBeNull();
    expect(await signatureOfLeaf(ctx, { ...leafRow(settlement, 0, signature(5)), encoding: "e3" } as LeafRow)).toBe(
      signature(5),
    );
    expect(ctx.counter.count).toBe(0);
  });
});
