import { USDC_ADDRESS_BASE, USDC_ADDRESS_BASE_SEPOLIA, USDC_DECIMALS } from "@settlescan/abis";
import { formatUnits } from "viem";

/** OpenGradient's OPG on Base: what its own gateway charges (18 decimals, docs/protocol.md §1). */
const OPG_ADDRESS_BASE = "0xfbc2051ae2265686a469421b2c5a2d5462fbf5eb";

/** Tokens the explorer can name, by lowercase address. Others show base units. */
const KNOWN_TOKENS: Record<string, { symbol: string; decimals: number }> = {
  [USDC_ADDRESS_BASE.toLowerCase()]: { symbol: "USDC", decimals: USDC_DECIMALS },
  [USDC_ADDRESS_BASE_SEPOLIA.toLowerCase()]: { symbol: "USDC", decimals: USDC_DECIMALS },
  [OPG_ADDRESS_BASE]: { symbol: "OPG", decimals: 18 },
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

/** Labels of receipt states (docs/protocol.md §5), as the UI says them. */
export const RECEIPT_STATE_LABELS = {
  verified: "Verified",
  unpaid: "Unpaid",
  underpaid: "Underpaid",
  invalid_proof: "Invalid proof",
  duplicate: "Duplicate",
  unofficial: "Unofficial",
} as const;

/** Labels of inference states: the state of the settled leaf that counts. */
export const INFERENCE_STATE_LABELS = {
  proven: "Proven",
  invalid_proof: "Invalid proof",
  unofficial: "Unofficial",
} as const;

/** Labels of the state of one inference in one settlement (a settled leaf). */
export const SETTLED_LEAF_STATE_LABELS = {
  ...INFERENCE_STATE_LABELS,
  duplicate: "Duplicate",
  legacy: "Legacy",
} as const;

/** Labels of a batch blob's status. */
export const BLOB_STATUS_LABELS = {
  available: "Available",
  pending: "Pending",
  mismatched: "Mismatched",
  expired: "Expired",
  unavailable: "Unavailable",
} as const;

/** What each blob status means, in one sentence. */
export const BLOB_STATUS_MEANINGS: Record<keyof typeof BLOB_STATUS_LABELS, string> = {
  available: "The blob rebuilds the event's Merkle root.",
  pending:
    "The blob could not be fetched yet: its leaves, and so its inferences, are not known until it is. This is not a failure.",
  mismatched: "The blob rebuilds another root than the event's: every leaf it names fails inclusion.",
  expired: "The blob is gone from Walrus and was not archived: its leaves cannot be read.",
  unavailable: "A v1 batch names no blob: its leaves cannot be read.",
};

/** The same for an individual settlement, whose leaf is its event: its blob is only the archived exchange. */
const INDIVIDUAL_BLOB_STATUS_MEANINGS: Partial<Record<keyof typeof BLOB_STATUS_LABELS, string>> = {
  available: "The archived blob is the exchange the event settled: every field it holds matches the event.",
  pending: "The blob could not be fetched yet. The inference is judged from the event, so this is not a failure.",
  mismatched: "The blob does not repeat the event's fields. The inference is still judged from the event.",
  expired: "The blob is gone from Walrus and was not archived. The inference is still judged from the event.",
};

/** What a blob status means for a settlement of this kind, in one sentence. */
export const blobStatusMeaningOf = (status: keyof typeof BLOB_STATUS_LABELS, kind: "batch" | "individual") =>
  (kind === "individual" ? INDIVIDUAL_BLOB_STATUS_MEANINGS[status] : undefined) ?? BLOB_STATUS_MEANINGS[status];

/** Labels of the ways an inference is tied to a payment. */
export const LINK_KIND_LABELS = { exact: "Exact", session: "Session", none: "None" } as const;

/** How sure each link is, in one sentence. */
export const LINK_KIND_MEANINGS: Record<keyof typeof LINK_KIND_LABELS, string> = {
  exact: "The settled leaf names the payment.",
  session: "Inferred from the payer and the time window.",
  none: "Nothing on chain ties this inference to a payment (batch or private settlement).",
};

/** Labels of leaf eras (docs/protocol.md §3). */
export const LEAF_ENCODING_LABELS = { e1: "E1", e2: "E2", e3: "E3", exact: "Exact-link" } as const;

/** Labels of payment states (docs/protocol.md §5). */
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
