import { describe, expect, test } from "vitest";
import { readOnly, withoutNoReasons } from "./rows";

// Ponder's own copy-on-write proxy (not exported by the package: loaded from beside its entry point), so that a
// Ponder upgrade changing how rows are handed out fails here.
const { copyOnWrite } = (await import(new URL("./utils/copy.js", import.meta.resolve("ponder")).href)) as {
  copyOnWrite: <row extends object>(row: row) => row;
};

describe("readOnly", () => {
  test("default: the row behind a Ponder row, whose JSON columns read without a copy", () => {
    const stored = { id: "0x01", reasons: [{ check: "inclusion", reason: "no" }] };
    const handed = copyOnWrite(stored);
    expect(handed.reasons).not.toBe(stored.reasons); // what Ponder does: a deep copy on first read
    const row = readOnly(copyOnWrite(stored));
    expect(row).toBe(stored);
    expect(row.reasons).toBe(stored.reasons);
  });

  test("args: anything else as it is", () => {
    const plain = { id: "0x01", reasons: [] };
    expect(readOnly(plain)).toBe(plain);
    expect(readOnly(null)).toBe(null);
    expect(readOnly(undefined)).toBe(undefined);
  });
});

describe("withoutNoReasons", () => {
  test("default: an empty list is left out", () => {
    expect(withoutNoReasons({ id: "a", reasons: [] })).toStrictEqual({ id: "a" });
  });

  test("behavior: reasons are kept as they are", () => {
    const row = { id: "a", reasons: [{ check: "attestation", reason: "bad signature" }] };
    expect(withoutNoReasons(row)).toBe(row);
  });
});
