import { PAYMENT_STATE_LABELS, RECEIPT_STATE_LABELS } from "../lib/format";

type Tone = "pass" | "fail" | "warn" | "na";

export function Badge({ tone, children, title }: { tone: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span className={`badge ${tone}`} title={title}>
      {children}
    </span>
  );
}

const RECEIPT_TONES: Record<keyof typeof RECEIPT_STATE_LABELS, Tone> = {
  verified: "pass",
  unpaid: "fail",
  underpaid: "fail",
  invalid_proof: "fail",
  duplicate: "warn",
};

/** A receipt's state (DESIGN.md §4) as a coloured badge. */
export function ReceiptStateBadge({ state }: { state: keyof typeof RECEIPT_STATE_LABELS }) {
  return (
    <Badge tone={RECEIPT_TONES[state]}>
      <span aria-hidden="true">{RECEIPT_TONES[state] === "pass" ? "✓" : "✗"}</span>
      {RECEIPT_STATE_LABELS[state]}
    </Badge>
  );
}

/** A payment's state; "paid, proof pending" is not a fault (a private settlement posts nothing). */
export function PaymentStateBadge({ state }: { state: keyof typeof PAYMENT_STATE_LABELS }) {
  const tone: Tone = state === "proven" ? "pass" : state === "overdue" ? "warn" : "na";
  return <Badge tone={tone}>{PAYMENT_STATE_LABELS[state]}</Badge>;
}

/** A check's verdict: pass, fail, or not applicable. */
export function CheckBadge({ status, label }: { status: "pass" | "fail" | "na"; label?: string }) {
  const text = label ?? (status === "pass" ? "Pass" : status === "fail" ? "Fail" : "N/A");
  return (
    <Badge tone={status}>
      <span aria-hidden="true">{status === "pass" ? "✓" : status === "fail" ? "✗" : "–"}</span>
      {text}
    </Badge>
  );
}
