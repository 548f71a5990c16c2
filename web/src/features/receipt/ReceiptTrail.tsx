import { Link } from "react-router";
import type { ReceiptTrailQuery as ReceiptTrailResult } from "../../graphql/generated/graphql";
import {
  blobStatusMeaningOf,
  chainNameOf,
  formatAmount,
  formatDateTime,
  formatDuration,
  RECEIPT_STATE_LABELS,
} from "../../lib/format";
import {
  Badge,
  BlobStatusBadge,
  InferenceStateBadge,
  OfficialBadge,
  PaymentStateBadge,
  ReceiptStateBadge,
} from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { indexerChecksOf, VerifiedChecks } from "../proof/CheckList";
import { ChainRecheck } from "../verify/ChainRecheck";

export type TrailReceipt = NonNullable<ReceiptTrailResult["receipt"]>;

/** What each final state means, in words for someone who does not know what a Merkle tree is. */
const STATE_MEANING: Record<TrailReceipt["state"], string> = {
  verified: "The request was paid on Base, run in a registered enclave, and its proof is on the verification chain.",
  unpaid: "The proof cites a payment that is not on Base.",
  underpaid: "The proof claims more than the payment paid.",
  invalid_proof: "The proof does not hold: its Merkle inclusion or the enclave's signature failed.",
  duplicate: "This inference was already settled before; this settlement repeats it.",
  unofficial: "The settlement was posted by no known facilitator signer: shown here, never counted as proof.",
};

/** The trail: Base payment → receipt → settlement on the verification chain → each check → the state. */
export function ReceiptTrail({ receipt }: { receipt: TrailReceipt }) {
  const { payment, settlement, checks } = receipt;
  const subject = {
    kind: settlement.kind,
    merkleRoot: settlement.merkleRoot,
    blobId: settlement.blobId,
    leafIndex: settlement.leafIndex,
    leaf: settlement.leaf,
    inferenceId: receipt.inferenceId,
    publicKey: receipt.tee?.publicKey,
  };
  return (
    <article aria-labelledby="trail-title">
      <div className="card state-banner" data-testid="receipt-state">
        <h1 id="trail-title" style={{ margin: 0 }}>
          Receipt
        </h1>
        <ReceiptStateBadge state={receipt.state} />
        <span className="muted">{STATE_MEANING[receipt.state]}</span>
      </div>

      <ol className="trail">
        <li className={checks.payment ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-payment">
            <h2 id="step-payment">1. Payment on {chainNameOf(payment?.chainId ?? 8453)}</h2>
            {payment ? (
              <dl className="facts">
                <dt>Transaction</dt>
                <dd>
                  <Hash value={payment.txHash} to={`/tx/${payment.txHash}`} copy />
                </dd>
                <dt>Payer → payee</dt>
                <dd>
                  <AddressLink address={payment.payer} relation="payer" /> →{" "}
                  <AddressLink address={payment.payee} relation="payee" />
                </dd>
                <dt>Paid</dt>
                <dd>{formatAmount(payment.amount, payment.token)}</dd>
                <dt>Time</dt>
                <dd>
                  {formatDateTime(payment.paidAt)} · block {payment.blockNumber}
                </dd>
                <dt>Facilitator</dt>
                <dd>
                  <AddressLink address={payment.facilitator} relation="facilitator" />
                </dd>
                <dt>Payment state</dt>
                <dd>
                  <PaymentStateBadge state={payment.state} />
                </dd>
              </dl>
            ) : (
              <p className="fail" style={{ color: "var(--fail)" }}>
                No payment with payment id <Hash value={receipt.paymentId} short /> is indexed on Base.
              </p>
            )}
          </section>
        </li>

        <li className="pass">
          <section className="card" aria-labelledby="step-receipt">
            <h2 id="step-receipt">2. Receipt</h2>
            <dl className="facts">
              <dt>Receipt id</dt>
              <dd>
                <Hash value={receipt.id} copy />
              </dd>
              <dt>Payment id</dt>
              <dd>
                <Hash value={receipt.paymentId} to={`/payment/${receipt.paymentId}`} copy />
              </dd>
              <dt>Inference id</dt>
              <dd>
                <Hash value={receipt.inferenceId} to={`/inference/${receipt.inferenceId}`} copy />
                {receipt.inference ? (
                  <>
                    {" "}
                    <InferenceStateBadge state={receipt.inference.state} />
                  </>
                ) : null}
              </dd>
              <dt>Claimed</dt>
              <dd>{formatAmount(receipt.amount, payment?.token)}</dd>
              <dt>Enclave (TEE)</dt>
              <dd>
                <Hash value={receipt.teeId} short to={`/tees#${receipt.teeId}`} />
                {receipt.tee ? (
                  receipt.tee.enabled ? null : (
                    <span className="muted"> · disabled now</span>
                  )
                ) : (
                  <span className="muted"> · not registered</span>
                )}
              </dd>
              <dt>Payment → proof</dt>
              <dd>{formatDuration(receipt.latencySeconds)}</dd>
            </dl>
          </section>
        </li>

        <li className={checks.inclusion ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-settlement">
            <h2 id="step-settlement">
              3. {settlement.kind === "batch" ? "Batch settlement" : "Individual settlement"} on{" "}
              {chainNameOf(settlement.chainId)}
            </h2>
            <dl className="facts">
              <dt>Transaction</dt>
              <dd>
                <Hash value={settlement.txHash} to={`/tx/${settlement.txHash}`} copy />
              </dd>
              <dt>Time</dt>
              <dd>
                {formatDateTime(settlement.timestamp)} · block {settlement.blockNumber}
              </dd>
              <dt>Relay</dt>
              <dd>
                <Hash value={settlement.relay} short /> <Badge tone="na">ABI {settlement.abi}</Badge>
              </dd>
              <dt>Posted by</dt>
              <dd data-testid="signer">
                <AddressLink address={settlement.signer} relation="facilitator" />{" "}
                <OfficialBadge official={settlement.official} />
              </dd>
              {settlement.merkleRoot ? (
                <>
                  <dt>Merkle root</dt>
                  <dd>
                    <Hash value={settlement.merkleRoot} to={`/batch/${settlement.merkleRoot}`} copy />
                  </dd>
                  <dt>Leaf</dt>
                  <dd>
                    index {settlement.leafIndex} of {settlement.settlement.leafCount} leaves
                    {settlement.leaf.hash ? (
                      <>
                        {" · "}
                        <Hash value={settlement.leaf.hash} short />
                      </>
                    ) : null}
                  </dd>
                  <dt>Proof</dt>
                  <dd>
                    {settlement.proof.length === 0 ? (
                      <span className="muted">empty (a batch of one)</span>
                    ) : (
                      <ol style={{ margin: 0, paddingLeft: "1.2rem" }}>
                        {settlement.proof.map((node, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: proof nodes are positional and may repeat.
                          <li key={i}>
                            <Hash value={node} short />
                          </li>
                        ))}
                      </ol>
                    )}
                  </dd>
                </>
              ) : null}
              <dt>Blob id</dt>
              <dd>
                {settlement.blobId ? <Hash value={settlement.blobId} copy /> : "—"}
                {settlement.blobStatus ? (
                  <>
                    {" "}
                    <BlobStatusBadge status={settlement.blobStatus} kind={settlement.kind} />
                    <div className="muted">
                      {settlement.settlement.blobReason ?? blobStatusMeaningOf(settlement.blobStatus, settlement.kind)}
                    </div>
                  </>
                ) : null}
              </dd>
              <dt>Leaf encoding</dt>
              <dd className="mono">[{settlement.leafEncoding.join(", ")}]</dd>
              {receipt.settlementCount > 1 ? (
                <>
                  <dt>Settled</dt>
                  <dd>{receipt.settlementCount} times</dd>
                </>
              ) : null}
            </dl>
          </section>
        </li>

        <li className={receipt.state === "verified" ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-checks">
            <VerifiedChecks
              id={receipt.id}
              subject={subject}
              checks={indexerChecksOf(checks, receipt.reasons)}
              heading={
                <h2 id="step-checks" style={{ margin: 0 }}>
                  4. Checks
                </h2>
              }
            />
          </section>
        </li>

        <li className={receipt.state === "verified" ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-state">
            <h2 id="step-state">5. State</h2>
            <p className="state-banner" style={{ margin: 0 }}>
              <ReceiptStateBadge state={receipt.state} /> {RECEIPT_STATE_LABELS[receipt.state]}:{" "}
              {STATE_MEANING[receipt.state]}
            </p>
            {payment ? (
              <p className="muted">
                The payment is <PaymentStateBadge state={payment.state} />; see{" "}
                <Link to={`/payment/${payment.id}`}>all receipts citing it</Link>.
              </p>
            ) : null}
          </section>
        </li>
      </ol>
      <ChainRecheck inferenceId={receipt.inferenceId} leaf={settlement.leaf} />
    </article>
  );
}
