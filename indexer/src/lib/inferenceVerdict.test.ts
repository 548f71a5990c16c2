import { describe, expect, test } from "vitest";
import { judgeInferenceLeaves, type SettledLeafFacts } from "./inferenceVerdict";

const ok = { ok: true, reason: null };
const bad = (reason: string) => ({ ok: false, reason });
const leafAt = (id: string, block: number, fields: Partial<SettledLeafFacts> = {}): SettledLeafFacts => ({
  id,
  order: [BigInt(block), 0, 0],
  official: true,
  inclusion: ok,
  attestation: ok,
  ...fields,
});
const statesOf = (leaves: SettledLeafFacts[]) => {
  const judged = judgeInferenceLeaves(leaves);
  return { state: judged.state, counting: judged.counting.id, leaves: judged.leaves.map((l) => `${l.id}:${l.state}`) };
};

describe("judgeInferenceLeaves", () => {
  test("default: one official, valid leaf proves the inference", () => {
    expect(statesOf([leafAt("a", 1)])).toEqual({ state: "proven", counting: "a", leaves: ["a:proven"] });
  });

  test("behavior: a later official settlement is a duplicate, whatever order the leaves arrive in", () => {
    const expected = { state: "proven", counting: "a", leaves: ["a:proven", "b:duplicate"] };
    expect(statesOf([leafAt("a", 1), leafAt("b", 2)])).toEqual(expected);
    expect(statesOf([leafAt("b", 2), leafAt("a", 1)])).toEqual(expected);
  });

  test("behavior: chain order is block, then log index, then leaf index", () => {
    const a = leafAt("a", 5, { order: [5n, 3, 9] });
    const b = leafAt("b", 5, { order: [5n, 3, 2] });
    const c = leafAt("c", 5, { order: [5n, 1, 7] });
    expect(statesOf([a, b, c]).leaves).toEqual(["c:proven", "b:duplicate", "a:duplicate"]);
  });

  test("behavior: an invalid earlier proof does not make a later valid one a duplicate", () => {
    const result = judgeInferenceLeaves([leafAt("a", 1, { attestation: bad("no") }), leafAt("b", 2)]);
    expect(result.state).toBe("proven");
    expect(result.counting.id).toBe("b");
    expect(result.leaves.map((l) => [l.state, l.uniqueness.ok])).toEqual([
      ["invalid_proof", true],
      ["proven", true],
    ]);
  });

  test("behavior: invalid_proof takes precedence over duplicate", () => {
    expect(statesOf([leafAt("a", 1), leafAt("b", 2, { inclusion: bad("root") })]).leaves).toEqual([
      "a:proven",
      "b:invalid_proof",
    ]);
  });

  test("behavior: unofficial leaves are judged but never counted while an official one exists", () => {
    expect(statesOf([leafAt("u", 1, { official: false }), leafAt("a", 2)])).toEqual({
      state: "proven",
      counting: "a",
      leaves: ["u:unofficial", "a:proven"],
    });
    expect(statesOf([leafAt("u", 1, { official: false }), leafAt("a", 2, { attestation: bad("sig") })])).toMatchObject({
      state: "invalid_proof",
      counting: "a",
    });
    expect(statesOf([leafAt("u", 1, { official: false }), leafAt("v", 2, { official: false })])).toMatchObject({
      state: "unofficial",
      counting: "u",
    });
  });

  test("behavior: an unofficial proof does not make a later official one a duplicate", () => {
    const result = judgeInferenceLeaves([leafAt("u", 1, { official: false }), leafAt("a", 2)]);
    expect(result.leaves[1]?.uniqueness.ok).toBe(true);
    expect(result.leaves[0]?.provenance).toEqual({
      ok: false,
      reason: "Posted by an account that is not one of the network's facilitator signers.",
    });
  });

  test("args: no leaves", () => {
    expect(() => judgeInferenceLeaves([])).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: An inference is judged from at least one settled leaf; got none.]`,
    );
  });
});
