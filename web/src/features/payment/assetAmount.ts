import { formatUnits } from "viem";

/** A token as the API names it: decimals and symbol from the network profile, null when it lists none. */
export type AssetOf = { symbol?: string | null; decimals?: number | null };

/**
 * An amount in base units in its token's units, grouped, with the symbol; base units when the decimals are unknown.
 * @example formatAssetAmount("30000000000000000", { symbol: "OPG", decimals: 18 }) // "0.03 OPG"
 */
export function formatAssetAmount(units: string | bigint | null | undefined, asset: AssetOf): string {
  if (units == null) return "—";
  if (asset.decimals == null) return `${BigInt(units).toLocaleString("en-US")} units`;
  const [whole = "0", fraction] = formatUnits(BigInt(units), asset.decimals).split(".");
  const grouped = BigInt(whole).toLocaleString("en-US");
  return `${fraction ? `${grouped}.${fraction}` : grouped}${asset.symbol ? ` ${asset.symbol}` : ""}`;
}
