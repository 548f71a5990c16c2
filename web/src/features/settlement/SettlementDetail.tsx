import { useMemo } from "react";
import type { SettlementDetailFragment } from "../../graphql/generated/graphql";
import { chainNameOf, formatAmount, formatDateTime } from "../../lib/format";
import { CheckBadge, ReceiptStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { EmptyState } from "../../ui/StatusViews";
import { recomputeRoot } from "../proof/verifyInBrowser";

/** The root recomputed in this browser from the leaves, or why it could not be. */
function useBrowserRoot(leaves: SettlementDetailFragment["leaves"]) {
  return useMemo(() => {
    try {
      return { root: recomputeRoot(leaves), error: null };
    } catch (error) {
      return { root: null, error: (error as Error).message };
    }
  }, [leaves]);
}

/** A settlement event: a batch with its leaves and the root recomputed three ways, or an individual settlement. */
export function SettlementDetail({ settlement }: { settlement: SettlementDetailFragment }) {
  const browser = useBrowserRoot(settlement.leaves);
  const isBatch = settlement.kind === "batch";
  const browserMatches = browser.root != null && browser.root.toLowerCase() === settlement.merkleRoot?.toLowerCase();
  return (
    <>
      <section className="card" aria-labelledby="settlement-title">
        <div className="state-banner">
          <h1 id="settlement-title" style={{ margin: 0 }}>
            {isBatch ? "Batch settlement" : "Individual settlement"} on {chainNameOf(settlement.chainId)}
          </h1>
          {isBatch ? (
            <CheckBadge
              status={settlement.rootMatches ? "pass" : "fail"}
              label={settlement.rootMatches ? "Root matches" : "Root mismatch"}
            />
          ) : null}
        </div>
        <dl className="facts">
          <dt>Transaction</dt>
          <dd>
            <Hash value={settlement.txHash} copy />
          </dd>
          <dt>Time</dt>
          <dd>
            {formatDateTime(settlement.timestamp)} · block {settlement.blockNumber}
          </dd>
          <dt>Posted by</dt>
          <dd>
            <AddressLink address={settlement.facilitator} relation="facilitator" />
          </dd>
          <dt>Blob id</dt>
          <dd className="mono">{settlement.blobId || "—"}</dd>
          <dt>Leaves</dt>
          <dd>{settlement.leafCount}</dd>
          {isBatch ? (
            <>
              <dt>Root on chain</dt>
              <dd>
                <Hash value={settlement.merkleRoot ?? "—"} copy />
              </dd>
              <dt>Root (indexer)</dt>
              <dd>
                {settlement.computedRoot ? <Hash value={settlement.computedRoot} /> : "—"}{" "}
                <CheckBadge status={settlement.rootMatches ? "pass" : "fail"} />
              </dd>
              <dt>Root (your browser)</dt>
              <dd data-testid="browser-root" data-status={browserMatches ? "pass" : "fail"}>
                {browser.root ? <Hash value={browser.root} /> : <span>{browser.error ?? "no leaves"}</span>}{" "}
                <CheckBadge
                  status={browserMatches ? "pass" : "fail"}
                  label={browserMatches ? "Verified in your browser" : "Differs in your browser"}
                />
              </dd>
            </>
          ) : null}
          {settlement.decodeError ? (
            <>
              <dt>Calldata</dt>
              <dd style={{ color: "var(--fail)" }}>{settlement.decodeError}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className="card" aria-labelledby="leaves-title">
        <h2 id="leaves-title">Leaves</h2>
        {settlement.leaves.length === 0 ? (
          <EmptyState title="No leaves">The leaves could not be read from the transaction's calldata.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table data-testid="leaves">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Receipt</th>
                  <th>State</th>
                  <th className="num">Amount</th>
                  <th>Enclave</th>
                  <th>Inclusion</th>
                  <th>Attestation</th>
                  <th>Unique</th>
                  <th>Leaf hash</th>
                </tr>
              </thead>
              <tbody>
                {settlement.leaves.map((leaf) => (
                  <tr key={leaf.index}>
                    <td className="num">{leaf.index}</td>
                    <td>
                      <Hash value={leaf.receiptId} short to={`/receipt/${leaf.receiptId}`} />
                    </td>
                    <td>{leaf.receipt ? <ReceiptStateBadge state={leaf.receipt.state} /> : "—"}</td>
                    <td className="num">{formatAmount(leaf.amount)}</td>
                    <td>
                      <Hash value={leaf.teeId} short to={`/tees#${leaf.teeId}`} />
                    </td>
                    <td title={leaf.inclusionReason ?? undefined}>
                      <CheckBadge status={leaf.inclusion ? "pass" : "fail"} />
                    </td>
                    <td title={leaf.attestationReason ?? undefined}>
                      <CheckBadge status={leaf.attestation ? "pass" : "fail"} />
                    </td>
                    <td>
                      <CheckBadge status={leaf.uniqueness ? "pass" : "fail"} />
                    </td>
                    <td>
                      <Hash value={leaf.hash} short />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
