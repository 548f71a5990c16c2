import type { Address, Hex } from "viem";
import type { RelayAbiVersion } from "../profile";
import type { WalrusBlobId } from "../walrus";
import type { EnclaveAttestation } from "./enclave";

/**
 * What a verification concludes about one response: `proven` (settled officially, included, attested, and the
 * content is what the enclave signed), `invalid_proof` (a check failed), `unofficial` (settled only by accounts that
 * are not the network's facilitators), `not_settled` (no settlement found where one would be), `pending` (a batch
 * that may hold it has a blob that is not fetchable yet).
 */
export type VerifyState = "proven" | "invalid_proof" | "unofficial" | "not_settled" | "pending";

/** The checks a verification reports, in the order they are shown (docs/protocol.md §5, and the content the user holds). */
export const VERIFY_CHECK_NAMES = [
  "content",
  "settlement",
  "inclusion",
  "attestation",
  "provenance",
  "uniqueness",
] as const;

export type VerifyCheckName = (typeof VERIFY_CHECK_NAMES)[number];

/** One check: passed (`true`), failed (`false`) or not checkable (`null`), why, and where its facts were read. */
export type VerifyCheck = { name: VerifyCheckName; ok: boolean | null; detail: string; source: string };

/** A source a verification read, and what it read there. */
export type VerifySource =
  | { kind: "response"; name: string; detail: string }
  | { kind: "request"; name: string; detail: string }
  | { kind: "rpc"; url: string; chainId: number; detail: string }
  | { kind: "aggregator"; url: string; detail: string }
  | { kind: "hint"; url: string; detail: string };

/** The settlement that counts for the inference (docs/protocol.md §5), as read from the chain and the blob. */
export type VerifiedSettlement = {
  kind: "batch" | "individual";
  /** `proven`, `invalid_proof` or `unofficial`: this settled leaf's own state. */
  state: "proven" | "invalid_proof" | "unofficial";
  relay: Address;
  abi: RelayAbiVersion;
  txHash: Hex;
  blockNumber: number;
  logIndex: number;
  /** Unix seconds of the settlement's block. */
  timestamp: number;
  /** `tx.from` of the settlement transaction. */
  signer: Address;
  official: boolean;
  /** Batch: the event's root, its batch size (decimal) and the leaf's place in the blob. */
  merkleRoot?: Hex;
  batchSize?: string;
  blobId?: WalrusBlobId;
  blobStatus?: "available" | "mismatched" | "missing";
  leafIndex?: number;
  proof?: Hex[];
  leafEncoding?: string[];
  /** Exact-link leaves: the payment the leaf names and the amount charged (decimal). */
  paymentId?: Hex;
  amount?: string;
};

/** Everything a verification found, every fact with its source; JSON-safe (numbers and decimal strings). */
export type VerifyReport = {
  inferenceId: Hex;
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  /** The response's `tee_timestamp`, unix seconds. */
  timestamp: number;
  state: VerifyState;
  /** One sentence: why the state is what it is. */
  reason: string;
  checks: VerifyCheck[];
  /** The enclave's AWS Nitro attestation re-verified from its registration's document; not counted in the state. */
  enclaveAttestation?: EnclaveAttestation;
  settlement?: VerifiedSettlement;
  sources: VerifySource[];
  /** Milliseconds the verification took. */
  elapsedMs: number;
};

const MARKS = { true: "✓", false: "✗", null: "–" } as const;

/** The mark a check is shown with: ✓ passed, ✗ failed, – not checkable. */
export function checkMarkOf(ok: boolean | null): string {
  return MARKS[String(ok) as keyof typeof MARKS];
}

/** Where a source is: its URL, or the name of the file a user gave. */
function whereOf(source: VerifySource): string {
  if (source.kind === "response" || source.kind === "request") return `${source.kind} ${source.name}`;
  if (source.kind === "rpc") return `RPC ${source.url} (chain ${source.chainId})`;
  if (source.kind === "aggregator") return `Walrus aggregator ${source.url}`;
  return `Settlescan hint ${source.url}`;
}

/**
 * A report as text for a terminal: the inference, one line per check (✓ / ✗ / –) with its source, the state and
 * why, then each source and what was read there.
 * @example console.log(formatReport(await verifyResponse({ response, profile, sources })))
 */
export function formatReport(report: VerifyReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const enclave = report.enclaveAttestation;
  const lines = [
    `Inference ${report.inferenceId}`,
    `  TEE ${report.teeId}, signed at ${new Date(report.timestamp * 1000).toISOString().replace(".000Z", "Z")}`,
    "",
    ...report.checks.map(
      (check) => `${checkMarkOf(check.ok)} ${check.name.padEnd(width)}  ${check.detail} [${check.source}]`,
    ),
    "",
    ...(enclave
      ? [
          `${checkMarkOf(enclave.ok)} ${"nitro".padEnd(width)}  AWS Nitro attestation ${enclave.result} (not counted in the state): ${enclave.detail} [${enclave.source}]`,
          "",
        ]
      : []),
    `State: ${report.state} — ${report.reason}`,
    "",
    "Sources:",
    ...report.sources.map((source) => `  ${whereOf(source)}: ${source.detail}`),
    `Verified in ${report.elapsedMs} ms, trusting no Settlescan server.`,
  ];
  return lines.join("\n");
}
