import { describe, expect, test } from "vitest";
import { type TeeStatusChange, teeStatusAt, withStatusChange } from "./teeStatus";

const change = (kind: TeeStatusChange["kind"], block: number, logIndex = 0): TeeStatusChange => ({
  kind,
  block: String(block),
  logIndex,
  tx: "0x01",
});
const history = [change("registered", 10), change("disabled", 20, 3), change("enabled", 30), change("pcr_revoked", 40)];
const enabledAt = (block: number, logIndex = 0) => teeStatusAt(history, { block: BigInt(block), logIndex }).enabled;

describe("teeStatusAt", () => {
  test("default: enabled from its registration on", () => {
    expect(teeStatusAt(history, { block: 9n, logIndex: 0 })).toEqual({
      registered: false,
      enabled: false,
      change: undefined,
    });
    expect(enabledAt(10, 1)).toBe(true);
    expect(enabledAt(15)).toBe(true);
  });

  test("behavior: a change counts only for settlements after it in chain order", () => {
    expect(enabledAt(20, 3)).toBe(true);
    expect(enabledAt(20, 4)).toBe(false);
    expect(enabledAt(31)).toBe(true);
  });

  test("behavior: a PCR revocation disables the enclave until it is enabled again", () => {
    expect(enabledAt(41)).toBe(false);
    expect(teeStatusAt([...history, change("enabled", 50)], { block: 51n, logIndex: 0 }).enabled).toBe(true);
  });

  test("behavior: withStatusChange keeps chain order", () => {
    const shuffled = [history[2]!, history[0]!, history[3]!, history[1]!].reduce<TeeStatusChange[]>(
      (h, c) => withStatusChange(h, c),
      [],
    );
    expect(shuffled).toEqual(history);
  });
});
