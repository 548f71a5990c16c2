import { useMemo } from "react";
import type { SettlementDetailFragment } from "../../graphql/generated/graphql";
import { useBlob } from "../../graphql/useBlob";
import { blobStatusMeaningOf, chainNameOf, formatAmount, formatDateTime, LEAF_ENCODING_LABELS } from "../../lib/format";
import {
  Badge,
  BlobStatusBadge,
  CheckBadge,
  OfficialBadge,
  ReceiptStateBadge,
  SettledLeafStateBadge,
} from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { EmptyState } from "../../ui/StatusViews";
import { type BrowserCheck, checkBatchRoot } from "../proof/verifyInBrowser";

/** Why a legacy leaf has no attestation to check. */
const LEGACY_ATTESTATION =
  "E1 and E2 leaves hold only hashes: they name no enclave and carry no signature, so there is nothing to attest.";

const BROWSER_ROOT_LABELS: Record<BrowserCheck["status"], string> = {
  pass: "Verified in your browser",
  fail: "Differs in your browser",
  na: "Not re-checked",
};

/** The batch's root rebuilt in this browser from the raw blob the API archived, or why it could not be. */
function useBrowserRoot(settlement: SettlementDetailFragment): BrowserCheck | null {
  const isBatch = settlement.kind === "batch";
  const blob = useBlob(isBatch ? settlement.blobId : null);
  return useMemo(() => {
    if (!isBatch) return null;
    if (!settlement.blobId) return { status: "na", reason: "A v1 batch names no blob." };
    if (blob.isPending) return null;
    if (blob.isError) return { status: "na", reason: `The blob could not be fetched: ${blob.error.message}` };
    if (blob.data == null)
      return { status: "na", reason: "The blob is not archived by this Settlescan yet: nothing to rebuild from." };
    const { status, reason } = checkBatchRoot({ blob: blob.data, merkleRoot: settlement.merkleRoot });
    return { status, reason };
  }, [isBatch, settlement.blobId, settlement.merkleRoot, blob.isPending, blob.isError, blob.error, blob.data]);
}

/** A settlement event: who posted it to which relay, its blob and status, and every leaf with its checks. */
export function SettlementDetail({ settlement }: { settlement: SettlementDetailFragment }) {
  const browser = useBrowserRoot(settlement);
  const isBatch = settlement.kind === "batch";
  const s = settlement;
  return (
    <>
      <section className="card" aria-labelledby="settlement-title">
        <div className="state-banner">
          <h1 id="settlement-title" style={{ margin: 0 }}>
            {isBatch ? "Batch settlement" : "Individual settlement"} on {chainNameOf(s.chainId)}
          </h1>
          <OfficialBadge official={s.official} />
          {s.blobStatus ? (
            <span data-testid="blob-status">
              <BlobStatusBadge status={s.blobStatus} kind={s.kind} />
            </span>
          ) : null}
        </div>
        {s.blobStatus ? (
          <p className="muted" data-testid="blob-reason">
            {s.blobReason ?? blobStatusMeaningOf(s.blobStatus, s.kind)}
          </p>
        ) : null}
        <dl className="facts">
          <dt>Transaction</dt>
          <dd>
            <Hash value={s.txHash} copy />
          </dd>
          <dt>Time</dt>
          <dd>
            {formatDateTime(s.timestamp)} · block {s.blockNumber} · log {s.logIndex}
          </dd>
          <dt>Relay</dt>
          <dd>
            <Hash value={s.relay} /> <Badge tone="na">ABI {s.abi}</Badge>
          </dd>
          <dt>Posted by</dt>
          <dd data-testid="signer">
            <AddressLink address={s.signer} relation="facilitator" short={false} />{" "}
            {s.official ? null : <span className="muted">not one of the relay's known facilitator signers</span>}
          </dd>
          {s.ethAddress ? (
            <>
              <dt>For address</dt>
              <dd>
                <AddressLink address={s.ethAddress} relation="payer" short={false} />
              </dd>
            </>
          ) : null}
          <dt>Blob id</dt>
          <dd>{s.blobId ? <Hash value={s.blobId} copy /> : <span className="muted">none (a v1 event)</span>}</dd>
          <dt>Leaves</dt>
          <dd>
            {s.leafCount} known{isBatch ? ` of ${s.batchSize} the event announces` : ""}
            {s.encoding ? (
              <>
                {" · "}
                {LEAF_ENCODING_LABELS[s.encoding]} <span className="mono muted">[{s.leafEncoding?.join(", ")}]</span>
              </>
            ) : null}
          </dd>
          {isBatch ? (
            <>
              <dt>Root on chain</dt>
              <dd>
                <Hash value={s.merkleRoot ?? "—"} copy />
              </dd>
              <dt>Root (your browser)</dt>
              <dd data-testid="browser-root" data-status={browser?.status ?? "pending"}>
                {browser ? (
                  <>
                    <CheckBadge status={browser.status} label={BROWSER_ROOT_LABELS[browser.status]} />{" "}
                    <span className="muted">{browser.reason}</span>
                  </>
                ) : (
                  <span className="muted">fetching the blob…</span>
                )}
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className="card" aria-labelledby="leaves-title">
        <h2 id="leaves-title">{isBatch ? "Leaves" : "Leaf"}</h2>
        {s.leaves.length === 0 ? (
          <EmptyState title={s.blobStatus === "pending" ? "Leaves not known yet" : "No leaves"}>
            {s.blobStatus === "pending"
              ? "The batch's leaves are only in its blob, which could not be fetched yet: they, and the inferences they settle, are not known until it is."
              : "No leaf of this settlement can be read."}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table data-testid="leaves">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Inference</th>
                  <th>State</th>
                  <th>Receipt</th>
                  <th className="num">Amount</th>
                  <th>Enclave</th>
                  <th>Inclusion</th>
                  <th>Attestation</th>
                  <th>Unique</th>
                  <th>Leaf hash</th>
                </tr>
              </thead>
              <tbody>
                {s.leaves.map((leaf) => (
                  <tr key={leaf.id}>
                    <td className="num">{leaf.index}</td>
                    <td>
                      {leaf.inferenceId ? (
                        <Hash value={leaf.inferenceId} short to={`/inference/${leaf.inferenceId}`} />
                      ) : (
                        <span className="muted" title={`input ${leaf.inputHash}, output ${leaf.outputHash}`}>
                          {LEAF_ENCODING_LABELS[leaf.encoding]} leaf, no id
                        </span>
                      )}
                    </td>
                    <td>
                      <SettledLeafStateBadge state={leaf.state} />
                    </td>
                    <td>
                      {leaf.receiptId ? <Hash value={leaf.receiptId} short to={`/receipt/${leaf.receiptId}`} /> : "—"}
                      {leaf.receipt ? (
                        <>
                          {" "}
                          <ReceiptStateBadge state={leaf.receipt.state} />
                        </>
                      ) : null}
                    </td>
                    <td className="num">{leaf.amount == null ? "—" : formatAmount(leaf.amount)}</td>
                    <td>{leaf.teeId ? <Hash value={leaf.teeId} short to={`/tees#${leaf.teeId}`} /> : "—"}</td>
                    <td title={leaf.inclusionReason ?? undefined}>
                      <CheckBadge status={leaf.inclusion ? "pass" : "fail"} />
                    </td>
                    <td title={leaf.attestationReason ?? (leaf.state === "legacy" ? LEGACY_ATTESTATION : undefined)}>
                      {leaf.state === "legacy" ? (
                        <CheckBadge status="na" />
                      ) : (
                        <CheckBadge status={leaf.attestation ? "pass" : "fail"} />
                      )}
                    </td>
                    <td>
                      <CheckBadge status={leaf.uniqueness ? "pass" : "fail"} />
                    </td>
                    <td>{leaf.hash ? <Hash value={leaf.hash} short /> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.leaves.some((leaf) => leaf.state === "legacy") ? (
              <p className="muted">
                {LEGACY_ATTESTATION} They settle no inference id either: search for them by their input or output hash.
              </p>
            ) : null}
          </div>
        )}
      </section>
    </>
  );
}
