import type { Manifest } from "@settlescan/devnet/manifest";
import { paymentStateOf } from "../src/lib/verdict";

type ReceiptRow = {
  id: string;
  state: string;
  checkPayment: boolean;
  checkInclusion: boolean;
  checkAttestation: boolean;
  checkUniqueness: boolean;
  reasons: unknown;
};
type PaymentRow = { id: string; paidAt: string; verifiedReceiptCount: number };

/**
 * Compares indexed receipts and payments with the scenario manifest (the oracle). Each mismatch names the receipt
 * and both verdicts; payment states are judged at the chain time `now` (the indexed heads' latest timestamp).
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
  }
  if (payments.length !== manifest.payments.length)
    mismatches.push(`${payments.length} payments indexed, ${manifest.payments.length} in the manifest`);
  return { compared, payments: manifest.payments.length, mismatches };
}
