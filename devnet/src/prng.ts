import { type Hex, keccak256, stringToHex, toHex } from "viem";

/**
 * A seeded pseudo-random stream (keccak256 in counter mode): the same seed gives the same values on every
 * machine, which is what makes scenarios reproducible. Not for secrets.
 */
export function prngOf(seed: string) {
  const key = keccak256(stringToHex(seed));
  let counter = 0;
  const next32 = (): Hex => keccak256(`${key}${toHex(counter++, { size: 32 }).slice(2)}` as Hex);
  return {
    /** 32 random bytes as hex. */
    bytes32: next32,
    /** A float in [0, 1). */
    float: () => Number(BigInt(next32().slice(0, 15)) & ((1n << 52n) - 1n)) / 2 ** 52,
    /** An integer in [min, max]. */
    int(min: number, max: number) {
      return min + Math.floor(this.float() * (max - min + 1));
    },
    /** A key of `weights`, drawn in proportion to its weight. */
    pick<K extends string>(weights: Record<K, number>): K {
      const entries = Object.entries(weights) as [K, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let x = this.float() * total;
      for (const [key, weight] of entries) {
        x -= weight;
        if (x < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
  };
}

export type Prng = ReturnType<typeof prngOf>;
