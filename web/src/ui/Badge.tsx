import {
  BLOB_STATUS_LABELS,
  blobStatusMeaningOf,
  INFERENCE_STATE_LABELS,
  LINK_KIND_LABELS,
  LINK_KIND_MEANINGS,
  PAYMENT_STATE_LABELS,
  RECEIPT_STATE_LABELS,
  SETTLED_LEAF_STATE_LABELS,
} from "../lib/format";

type Tone = "pass" | "fail" | "warn" | "na";

export function Badge({ tone, children, title }: { tone: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span className={`badge ${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A badge with a mark before its label: ✓ for pass, ✗ for fail, – otherwise. */
function MarkedBadge({ tone, label, title }: { tone: Tone; label: string; title?: string }) {
  return (
    <Badge tone={tone} title={title}>
      <span aria-hidden="true">{tone === "pass" ? "✓" : tone === "fail" ? "✗" : "–"}</span>
      {label}
    </Badge>
  );
}

const RECEIPT_TONES: Record<keyof typeof RECEIPT_STATE_LABELS, Tone> = {
  verified: "pass",
  unpaid: "fail",
  underpaid: "fail",
  invalid_proof: "fail",
  duplicate: "warn",
  unofficial: "warn",
};

/** A receipt's state as a coloured badge. */
export function ReceiptStateBadge({ state }: { state: keyof typeof RECEIPT_STATE_LABELS }) {
  const tone = RECEIPT_TONES[state];
  return (
    <Badge tone={tone}>
      <span aria-hidden="true">{tone === "pass" ? "✓" : "✗"}</span>
      {RECEIPT_STATE_LABELS[state]}
    </Badge>
  );
}

const LEAF_TONES: Record<keyof typeof SETTLED_LEAF_STATE_LABELS, Tone> = {
  proven: "pass",
  invalid_proof: "fail",
  unofficial: "warn",
  duplicate: "warn",
  legacy: "na",
};

/** An inference's state (proven, invalid proof, unofficial) as a coloured badge. */
export function InferenceStateBadge({ state }: { state: keyof typeof INFERENCE_STATE_LABELS }) {
  return <MarkedBadge tone={LEAF_TONES[state]} label={INFERENCE_STATE_LABELS[state]} />;
}

/** The state of one inference in one settlement; duplicates and unofficial posts are shown, never counted. */
export function SettledLeafStateBadge({ state }: { state: keyof typeof SETTLED_LEAF_STATE_LABELS }) {
  return <MarkedBadge tone={LEAF_TONES[state]} label={SETTLED_LEAF_STATE_LABELS[state]} />;
}

const BLOB_TONES: Record<keyof typeof BLOB_STATUS_LABELS, Tone> = {
  available: "pass",
  pending: "na",
  mismatched: "fail",
  expired: "warn",
  unavailable: "na",
};

/** A batch blob's status; pending is not a failure. */
export function BlobStatusBadge({
  status,
  kind = "batch",
}: {
  status: keyof typeof BLOB_STATUS_LABELS;
  kind?: "batch" | "individual";
}) {
  return (
    <MarkedBadge
      tone={BLOB_TONES[status]}
      label={BLOB_STATUS_LABELS[status]}
      title={blobStatusMeaningOf(status, kind)}
    />
  );
}

/** How an inference is tied to a payment, its meaning in the title. */
export function LinkKindBadge({ kind }: { kind: keyof typeof LINK_KIND_LABELS }) {
  return (
    <Badge tone={kind === "none" ? "na" : "pass"} title={LINK_KIND_MEANINGS[kind]}>
      {LINK_KIND_LABELS[kind]}
    </Badge>
  );
}

/** Whether a known facilitator signer posted a settlement: unofficial ones are shown, never counted. */
export function OfficialBadge({ official }: { official: boolean }) {
  return (
    <Badge
      tone={official ? "pass" : "warn"}
      title={official ? "Posted by a known facilitator signer" : "Posted by no known facilitator signer"}
    >
      {official ? "Official" : "Unofficial"}
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
  return <MarkedBadge tone={status} label={text} />;
}
