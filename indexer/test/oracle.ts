import type { Manifest } from "@settlescan/devnet/manifest";
import { paymentStateOf } from "../src/lib/verdict";

type ReceiptRow = {
  id: string;
  state: string;
  checkPayment: boolean;
  checkInclusion: boolean;
  checkAttestation: boolean;
  checkProvenance: boolean;
  checkUniqueness: boolean;
  reasons: unknown;
};
type InferenceRow = {
  id: string;
  state: string;
  checkInclusion: boolean;
  checkAttestation: boolean;
  checkProvenance: boolean;
  checkUniqueness: boolean;
  settlementCount: number;
  reasons: unknown;
  linkKind: string;
  paymentId: string | null;
};
type SettlementRow = { id: string; kind: string; blobId: string | null; blobStatus: string | null; official: boolean };
type PaymentRow = {
  id: string;
  paidAt: string;
  verifiedReceiptCount: number;
  state: string;
  blockNumber: string;
  logIndex: number;
  scheme: string;
};

/**
 * Compares indexed receipts and payments with the scenario manifest (the oracle). Each mismatch names the receipt
 * and both verdicts; payment states are judged at the chain time `now` (the indexed heads' latest timestamp): the
 * manifest's `state` from exact links alone (verified receipts), its `linkedState` from the stored `state`, which
 * counts links of every kind (docs/protocol.md §4).
 */
export function compareWithManifest({
  manifest,
  receipts,
  payments,
  now,
}: {
  manifest: Manifest;
  receipts: ReceiptRow[];
  payments: PaymentRow[];
  now: bigint;
}) {
  const mismatches: string[] = [];
  const byId = new Map(receipts.map((r) => [r.id.toLowerCase(), r]));
  let compared = 0;
  for (const expected of manifest.receipts) {
    const row = byId.get(expected.receiptId.toLowerCase());
    compared++;
    if (expected.state === "not_settled") {
      if (row)
        mismatches.push(`${expected.receiptId} (${expected.fault}): expected no settlement, indexed ${row.state}`);
      continue;
    }
    if (!row) {
      mismatches.push(`${expected.receiptId} (${expected.fault}): expected ${expected.state}, not indexed`);
      continue;
    }
    const got = {
      state: row.state,
      payment: row.checkPayment,
      inclusion: row.checkInclusion,
      attestation: row.checkAttestation,
      provenance: row.checkProvenance,
      uniqueness: row.checkUniqueness,
    };
    const want = { state: expected.state, ...expected.checks };
    if (JSON.stringify(got) !== JSON.stringify(want))
      mismatches.push(
        `${expected.receiptId} (${expected.fault}):\n  expected ${JSON.stringify(want)}\n  indexed  ${JSON.stringify(got)}\n  reasons  ${JSON.stringify(row.reasons)}`,
      );
  }
  const extra = receipts.length - manifest.receipts.filter((r) => r.state !== "not_settled").length;
  if (extra !== 0) mismatches.push(`${extra} more indexed receipts than the manifest settles`);

  const paymentRows = new Map(payments.map((p) => [p.id.toLowerCase(), p]));
  for (const expected of manifest.payments) {
    const row = paymentRows.get(expected.paymentId.toLowerCase());
    if (!row) {
      mismatches.push(`payment ${expected.paymentId}: expected ${expected.state}, not indexed`);
      continue;
    }
    const state = paymentStateOf({ verifiedReceipts: row.verifiedReceiptCount, paidAt: BigInt(row.paidAt), now });
    if (state !== expected.state)
      mismatches.push(
        `payment ${expected.paymentId}${expected.private ? " (private)" : ""}: expected ${expected.state}, indexed ${state}`,
      );
    const linked = paymentStateOf({
      verifiedReceipts: row.state === "proven" ? 1 : 0,
      paidAt: BigInt(row.paidAt),
      now,
    });
    if (linked !== expected.linkedState)
      mismatches.push(
        `payment ${expected.paymentId} (${expected.scheme}): expected linked state ${expected.linkedState}, indexed ${linked}`,
      );
  }
  if (payments.length !== manifest.payments.length)
    mismatches.push(`${payments.length} payments indexed, ${manifest.payments.length} in the manifest`);
  return { compared, payments: manifest.payments.length, mismatches };
}

/**
 * Compares indexed inferences and batch blob statuses with the manifest: every inference's state, checks, number
 * of settlements and link (kind and payment); inferences the manifest says are not indexed (pending or expired blobs, private, never settled)
 * must be absent; every settlement's blob status must be the planned one.
 */
export function compareInferencesWithManifest({
  manifest,
  inferences,
  settlements,
  payments = [],
}: {
  manifest: Manifest;
  inferences: InferenceRow[];
  settlements: SettlementRow[];
  /** Indexed payments: a link mismatch shows where both payments are in chain order. */
  payments?: PaymentRow[];
}) {
  const mismatches: string[] = [];
  const paymentsById = new Map(payments.map((p) => [p.id.toLowerCase(), p]));
  const whereIs = (id: string | null | undefined) => {
    const p = id ? paymentsById.get(id.toLowerCase()) : undefined;
    return p ? `${p.scheme} paid at ${p.paidAt}, block ${p.blockNumber} log ${p.logIndex}` : "not indexed";
  };
  const byId = new Map(inferences.map((r) => [r.id.toLowerCase(), r]));
  for (const expected of manifest.inferences) {
    const row = byId.get(expected.inferenceId.toLowerCase());
    const label = `inference ${expected.inferenceId} (${expected.population} ${expected.fault} ${expected.route})`;
    if (expected.state === "not_indexed") {
      if (row) mismatches.push(`${label}: expected not indexed, indexed ${row.state}`);
      continue;
    }
    if (!row) {
      mismatches.push(`${label}: expected ${expected.state}, not indexed`);
      continue;
    }
    const got = {
      state: row.state,
      checks: {
        inclusion: row.checkInclusion,
        attestation: row.checkAttestation,
        provenance: row.checkProvenance,
        uniqueness: row.checkUniqueness,
      },
      settlementCount: row.settlementCount,
      link: { kind: row.linkKind, paymentId: row.paymentId?.toLowerCase() ?? null },
    };
    const want = {
      state: expected.state,
      checks: expected.checks,
      settlementCount: expected.settlementCount,
      link: { kind: expected.link.kind, paymentId: expected.link.paymentId?.toLowerCase() ?? null },
    };
    if (JSON.stringify(got) !== JSON.stringify(want))
      mismatches.push(
        `${label}:\n  expected ${JSON.stringify(want)}\n  indexed  ${JSON.stringify(got)}\n  reasons  ${JSON.stringify(row.reasons)}${
          got.link.paymentId === want.link.paymentId
            ? ""
            : `\n  expected payment: ${whereIs(want.link.paymentId)}; indexed payment: ${whereIs(got.link.paymentId)}`
        }`,
      );
  }
  const indexedExpected = manifest.inferences.filter((i) => i.state !== "not_indexed").length;
  if (inferences.length !== indexedExpected)
    mismatches.push(`${inferences.length} inferences indexed, ${indexedExpected} in the manifest`);

  const statusCounts = (rows: { kind: string; blobStatus: string | null }[]) => {
    const counts: Record<string, number> = {};
    for (const r of rows) {
      const key = `${r.kind}:${r.blobStatus ?? "none"}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  const blobIds = new Map(settlements.filter((s) => s.blobId).map((s) => [s.blobId as string, s]));
  for (const expected of manifest.settlements) {
    if (!expected.blobId || expected.kind !== "batch") continue;
    const row = blobIds.get(expected.blobId);
    if (!row) mismatches.push(`batch with blob ${expected.blobId}: expected ${expected.blobStatus}, not indexed`);
    else if (row.blobStatus !== expected.blobStatus || row.official !== expected.official)
      mismatches.push(
        `batch with blob ${expected.blobId}: expected ${expected.blobStatus} (official ${expected.official}), indexed ${row.blobStatus} (official ${row.official})`,
      );
  }
  const want = statusCounts(manifest.settlements);
  const got = statusCounts(settlements);
  if (JSON.stringify(Object.entries(got).sort()) !== JSON.stringify(Object.entries(want).sort()))
    mismatches.push(
      `settlements by kind and blob status: expected ${JSON.stringify(want)}, indexed ${JSON.stringify(got)}`,
    );
  return { compared: manifest.inferences.length, settlements: settlements.length, mismatches };
}
