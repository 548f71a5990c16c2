import { USDC_ADDRESS_BASE, USDC_ADDRESS_BASE_SEPOLIA, USDC_DECIMALS } from "@settlescan/abis";
import { formatUnits } from "viem";

/** Tokens the explorer can name, by lowercase address. Others show base units. */
const KNOWN_TOKENS: Record<string, { symbol: string; decimals: number }> = {
  [USDC_ADDRESS_BASE.toLowerCase()]: { symbol: "USDC", decimals: USDC_DECIMALS },
  [USDC_ADDRESS_BASE_SEPOLIA.toLowerCase()]: { symbol: "USDC", decimals: USDC_DECIMALS },
};

/**
 * A hex id shortened for tables, keeping both ends: `0x1234…abcd`.
 * @example shortHex("0x1234567890abcdef") // "0x1234…cdef"
 */
export function shortHex(hex: string, keep = 4): string {
  return hex.length <= 2 + keep * 2 + 1 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/**
 * A token amount in base units as a person reads it. USDC (the default token) has 6 decimals.
 * @example formatAmount("1500000") // "1.5 USDC"
 */
export function formatAmount(units: string | bigint | null | undefined, token?: string | null): string {
  if (units == null) return "—";
  const known = KNOWN_TOKENS[(token ?? USDC_ADDRESS_BASE).toLowerCase()];
  if (!known) return `${BigInt(units).toLocaleString("en-US")} units`;
  const [whole = "0", fraction] = formatUnits(BigInt(units), known.decimals).split(".");
  const grouped = BigInt(whole).toLocaleString("en-US");
  return `${fraction ? `${grouped}.${fraction}` : grouped} ${known.symbol}`;
}

/** A chain timestamp (ISO 8601) as `2026-01-02 03:04:05 UTC`; chain time is UTC, so is the display. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * A duration in seconds, at most two units: `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`.
 * @example formatDuration(200) // "3 min 20 s"
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  const s = Math.round(Math.abs(seconds));
  const sign = seconds < 0 ? "−" : "";
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && size === 1)) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  // A second unit of zero reads badly ("2 h 0 min"): drop it.
  return sign + parts.filter((p, i) => i === 0 || !p.startsWith("0 ")).join(" ");
}

/** An integer with thousands separators. */
export function formatCount(n: number | null | undefined): string {
  return n == null ? "—" : n.toLocaleString("en-US");
}

/** Labels of receipt states (DESIGN.md §4), as the UI says them. */
export const RECEIPT_STATE_LABELS = {
  verified: "Verified",
  unpaid: "Unpaid",
  underpaid: "Underpaid",
  invalid_proof: "Invalid proof",
  duplicate: "Duplicate",
} as const;

/** Labels of payment states (DESIGN.md §4). */
export const PAYMENT_STATE_LABELS = {
  awaiting_proof: "Paid, proof pending",
  overdue: "Overdue",
  proven: "Proven",
} as const;

/** Chain names by id: Base and its testnet are real; 10740/10744 are the OpenGradient ids in public sources. */
export function chainNameOf(chainId: number | null | undefined): string {
  switch (chainId) {
    case 8453:
      return "Base";
    case 84532:
      return "Base Sepolia";
    case 10740:
    case 10744:
      return "OpenGradient";
    case undefined:
    case null:
      return "—";
    default:
      return `chain ${chainId}`;
  }
}
