import type { PaymentDetailFragment } from "../../graphql/generated/graphql";
import { chainNameOf, formatDateTime, formatDuration } from "../../lib/format";
import { InferenceStateBadge, LinkKindBadge, PaymentStateBadge, ReceiptStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { EmptyState } from "../../ui/StatusViews";
import { formatAssetAmount } from "./assetAmount";
import { PAYMENT_SCHEME_LABELS } from "./scheme";

/**
 * A payment on Base, the receipts citing it and the inferences tied to it; explains a pending proof rather than
 * calling it a fault.
 */
export function PaymentDetail({ payment }: { payment: PaymentDetailFragment }) {
  return (
    <>
      <section className="card" aria-labelledby="payment-title">
        <div className="state-banner">
          <h1 id="payment-title" style={{ margin: 0 }}>
            Payment on {chainNameOf(payment.chainId)}
          </h1>
          <PaymentStateBadge state={payment.state} />
        </div>
        {payment.state !== "proven" ? (
          <p className="muted">
            {payment.state === "awaiting_proof"
              ? `Paid; no proven inference is linked to it yet. It becomes overdue at ${formatDateTime(payment.dueAt)}.`
              : "No proven inference was linked to it within the settlement window."}{" "}
            A <em>private</em> settlement posts nothing on chain, so it looks like this too: that is not a fault.
          </p>
        ) : null}
        <dl className="facts">
          <dt>Payment id</dt>
          <dd>
            <Hash value={payment.id} copy />
          </dd>
          <dt>Transaction</dt>
          <dd>
            <Hash value={payment.txHash} to={`/tx/${payment.txHash}`} copy />
          </dd>
          <dt>Payer → payee</dt>
          <dd>
            <AddressLink address={payment.payer} relation="payer" /> →{" "}
            <AddressLink address={payment.payee} relation="payee" />
          </dd>
          <dt>Scheme</dt>
          <dd data-testid="payment-scheme">{PAYMENT_SCHEME_LABELS[payment.scheme]}</dd>
          <dt>Amount</dt>
          <dd data-testid="payment-amount">
            {formatAssetAmount(payment.amount, payment.asset)}
            {payment.maxAmount ? (
              <span className="muted" data-testid="payment-max-amount">
                {" "}
                settled of at most {formatAssetAmount(payment.maxAmount, payment.asset)} permitted
              </span>
            ) : null}
          </dd>
          <dt>Token</dt>
          <dd>
            {payment.asset.symbol ? `${payment.asset.symbol} · ` : null}
            <Hash value={payment.token} />
          </dd>
          {payment.state === "proven" ? (
            <>
              <dt>Proven by</dt>
              <dd>
                {payment.verifiedReceiptCount} verified receipt{payment.verifiedReceiptCount === 1 ? "" : "s"},{" "}
                {payment.provenSessionInferenceCount} proven inference
                {payment.provenSessionInferenceCount === 1 ? "" : "s"} linked by session ·{" "}
                {formatDateTime(payment.provenAt)}
              </dd>
            </>
          ) : null}
          <dt>Nonce</dt>
          <dd>
            <Hash value={payment.nonce} short />
          </dd>
          <dt>Facilitator</dt>
          <dd>
            <AddressLink address={payment.facilitator} relation="facilitator" />
          </dd>
          <dt>Time</dt>
          <dd>
            {formatDateTime(payment.paidAt)} · block {payment.blockNumber}
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="payment-receipts">
        <h2 id="payment-receipts">Receipts citing this payment ({payment.receiptCount})</h2>
        {payment.receipts.length === 0 ? (
          <EmptyState title="No receipt yet">No settlement cites this payment yet.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Receipt</th>
                  <th>State</th>
                  <th className="num">Claimed</th>
                  <th>Enclave</th>
                  <th>Settled</th>
                  <th className="num">Latency</th>
                </tr>
              </thead>
              <tbody>
                {payment.receipts.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Hash value={r.id} short to={`/receipt/${r.id}`} />
                    </td>
                    <td>
                      <ReceiptStateBadge state={r.state} />
                    </td>
                    <td className="num">{formatAssetAmount(r.amount, payment.asset)}</td>
                    <td>
                      <Hash value={r.teeId} short to={`/tees#${r.teeId}`} />
                    </td>
                    <td>{formatDateTime(r.settledAt)}</td>
                    <td className="num">{formatDuration(r.latencySeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {payment.inferences.length > 0 ? (
        <section className="card" aria-labelledby="payment-inferences">
          <h2 id="payment-inferences">Inferences tied to this payment ({payment.inferences.length})</h2>
          <p className="muted">
            Exact: the settled leaf names this payment. Session: an individual settlement named this payer, and this was
            its earliest payment to the enclave within the session window — inferred, not stated on chain.
          </p>
          <div className="table-wrap">
            <table data-testid="payment-inferences">
              <thead>
                <tr>
                  <th>Inference</th>
                  <th>State</th>
                  <th>Link</th>
                  <th>Enclave</th>
                  <th>Settled</th>
                </tr>
              </thead>
              <tbody>
                {payment.inferences.map(({ kind, inference }) => (
                  <tr key={inference.id}>
                    <td>
                      <Hash value={inference.id} short to={`/inference/${inference.id}`} />
                    </td>
                    <td>
                      <InferenceStateBadge state={inference.state} />
                    </td>
                    <td>
                      <LinkKindBadge kind={kind} />
                    </td>
                    <td>
                      <Hash value={inference.teeId} short to={`/tees#${inference.teeId}`} />
                    </td>
                    <td>{formatDateTime(inference.settledAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        <section className="card" aria-labelledby="payment-inferences">
          <h2 id="payment-inferences">Inferences tied to this payment (0)</h2>
          <EmptyState title="None tied yet">{noInferenceReasonOf(payment.scheme)}</EmptyState>
        </section>
      )}
    </>
  );
}

/** Why a payment lists no inference, in the words of how links are made (docs/protocol.md §4). */
function noInferenceReasonOf(scheme: string) {
  return scheme === "eip3009"
    ? "No settled leaf names this payment, and no individual settlement named its payer within a session window."
    : "Over Permit2 the gateway's individual settlements name the proxy, not the payer, and batches name no payer: " +
        "a session payment is tied to its inferences only by someone who holds a response. Open the inference and " +
        "use “I paid from” with this payer.";
}
