import { Link } from "react-router";
import type {
  InferenceSettlementFieldsFragment,
  InferenceTrailQuery as InferenceTrailResult,
} from "../../graphql/generated/graphql";
import { blobStatusMeaningOf, chainNameOf, formatAmount, formatDateTime, LEAF_ENCODING_LABELS } from "../../lib/format";
import {
  Badge,
  BlobStatusBadge,
  InferenceStateBadge,
  LinkKindBadge,
  OfficialBadge,
  PaymentStateBadge,
  ReceiptStateBadge,
  SettledLeafStateBadge,
} from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { indexerChecksOf, VerifiedChecks } from "../proof/CheckList";
import type { BrowserSubject } from "../proof/verifyInBrowser";
import { ChainRecheck } from "../verify/ChainRecheck";
import { linkSentenceOf } from "./linkSentence";
import { SessionCandidates } from "./SessionCandidates";

export type TrailInference = NonNullable<InferenceTrailResult["inference"]>;

/** What each inference state means, in words for someone who does not know what a Merkle tree is. */
const STATE_MEANING: Record<TrailInference["state"], string> = {
  proven:
    "An official settlement on the verification chain includes this inference, and a registered enclave signed it.",
  invalid_proof: "Its official settlement does not hold: the leaf is not in the batch, or the enclave's proof fails.",
  unofficial:
    "Only settlements posted by unknown signers carry it: shown here, never counted as proof. Anyone may post to the relay.",
};

/** The settled leaf as the browser re-checks it: the event, its blob and the registry's key. */
export function browserSubjectOf(
  settlement: InferenceSettlementFieldsFragment,
  { inferenceId, publicKey }: { inferenceId?: string; publicKey: string | null | undefined },
): BrowserSubject {
  return {
    kind: settlement.kind,
    merkleRoot: settlement.merkleRoot,
    blobId: settlement.blobId,
    leafIndex: settlement.leafIndex,
    leaf: settlement.leaf,
    inferenceId,
    publicKey,
  };
}

/** Where a settlement was posted and by whom, its blob, and where the leaf is in it. */
export function SettlementFacts({ settlement }: { settlement: InferenceSettlementFieldsFragment }) {
  const s = settlement;
  return (
    <dl className="facts">
      <dt>Transaction</dt>
      <dd>
        <Hash value={s.txHash} to={`/tx/${s.txHash}`} copy />
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
        <AddressLink address={s.signer} relation="facilitator" short={false} /> <OfficialBadge official={s.official} />
      </dd>
      {s.merkleRoot ? (
        <>
          <dt>Merkle root</dt>
          <dd>
            <Hash value={s.merkleRoot} to={`/batch/${s.merkleRoot}`} copy />
          </dd>
        </>
      ) : null}
      <dt>Blob id</dt>
      <dd>
        {s.blobId ? <Hash value={s.blobId} copy /> : <span className="muted">none (a v1 event names no blob)</span>}
        {s.blobStatus ? (
          <>
            {" "}
            <BlobStatusBadge status={s.blobStatus} kind={s.kind} />
            <div className="muted">{s.settlement.blobReason ?? blobStatusMeaningOf(s.blobStatus, s.kind)}</div>
          </>
        ) : null}
      </dd>
      <dt>Leaf</dt>
      <dd>
        {s.kind === "batch"
          ? `index ${s.leafIndex} of ${s.settlement.leafCount} leaves (batch size ${s.settlement.batchSize})`
          : "the event's own fields"}
        {s.leafHash ? (
          <>
            {" · "}
            <Hash value={s.leafHash} short />
          </>
        ) : null}
      </dd>
      <dt>Leaf encoding</dt>
      <dd>
        {LEAF_ENCODING_LABELS[s.encoding]} <span className="mono muted">[{s.leafEncoding.join(", ")}]</span>
      </dd>
      {s.kind === "batch" ? (
        <>
          <dt>Proof</dt>
          <dd>
            {s.proof.length === 0 ? (
              <span className="muted">empty (a batch of one)</span>
            ) : (
              <ol style={{ margin: 0, paddingLeft: "1.2rem" }}>
                {s.proof.map((node, i) => (
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
    </dl>
  );
}

/** The trail of one inference: response → enclave → payment link → the settlement that counts → checks → all settlements. */
export function InferenceTrail({ inference }: { inference: TrailInference }) {
  const { settlement, tee, link, checks } = inference;
  const subject = browserSubjectOf(settlement, { inferenceId: inference.id, publicKey: tee?.publicKey });
  return (
    <article aria-labelledby="inference-title">
      <div className="card state-banner" data-testid="inference-state">
        <h1 id="inference-title" style={{ margin: 0 }}>
          Inference
        </h1>
        <InferenceStateBadge state={inference.state} />
        <span className="muted">{STATE_MEANING[inference.state]}</span>
        {inference.state === "unofficial" ? (
          <span data-testid="unofficial-signer">
            Posted by <AddressLink address={settlement.signer} relation="facilitator" short={false} />, not one of the
            relay's known facilitator signers.
          </span>
        ) : null}
      </div>

      <ol className="trail">
        <li className="pass">
          <section className="card" aria-labelledby="step-response">
            <h2 id="step-response">1. Response</h2>
            <dl className="facts">
              <dt>Inference id</dt>
              <dd>
                <Hash value={inference.id} copy />
              </dd>
              <dt>Input hash</dt>
              <dd>
                <Hash value={inference.inputHash} copy />
              </dd>
              <dt>Output hash</dt>
              <dd>
                <Hash value={inference.outputHash} copy />
              </dd>
              <dt>Signed at</dt>
              <dd>{formatDateTime(inference.timestamp)}</dd>
            </dl>
            <p className="muted">
              The id is keccak256(teeId ‖ inputHash ‖ outputHash ‖ timestamp): anyone holding the response computes it.
            </p>
          </section>
        </li>

        <li className={checks.attestation ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-enclave">
            <h2 id="step-enclave">2. Enclave</h2>
            <dl className="facts">
              <dt>TEE id</dt>
              <dd>
                <Hash value={inference.teeId} to={`/tees#${inference.teeId}`} copy />
              </dd>
              {tee ? (
                <>
                  <dt>Status now</dt>
                  <dd>
                    {tee.enabled ? <Badge tone="pass">Enabled</Badge> : <Badge tone="fail">Disabled</Badge>}{" "}
                    <span className="muted">registered {formatDateTime(tee.registeredAt)}</span>
                  </dd>
                  <dt>PCR hash</dt>
                  <dd>
                    <Hash value={tee.pcrHash} short copy />{" "}
                    {tee.pcr ? (
                      <Badge tone={tee.pcr.approved ? "pass" : "fail"}>
                        {tee.pcr.approved ? "approved" : "revoked"} · {tee.pcr.version}
                      </Badge>
                    ) : (
                      <Badge tone="warn">not approved</Badge>
                    )}
                  </dd>
                  <dt>Payment address</dt>
                  <dd>
                    <AddressLink address={tee.paymentAddress} relation="payee" short={false} />
                  </dd>
                  <dt>Endpoint</dt>
                  <dd className="mono">{tee.endpoint || "—"}</dd>
                </>
              ) : (
                <>
                  <dt>Registry</dt>
                  <dd style={{ color: "var(--fail)" }}>No TEE registry registered this enclave.</dd>
                </>
              )}
            </dl>
          </section>
        </li>

        <li className={link.kind === "none" ? "" : "pass"}>
          <section className="card" aria-labelledby="step-payment">
            <h2 id="step-payment">3. Payment</h2>
            <p data-testid="link-kind" style={{ marginTop: 0 }}>
              <LinkKindBadge kind={link.kind} /> {linkSentenceOf(link, inference.timestamp)}
            </p>
            {link.payment ? (
              <dl className="facts">
                <dt>Payment</dt>
                <dd>
                  <Hash value={link.payment.id} to={`/payment/${link.payment.id}`} short />{" "}
                  <PaymentStateBadge state={link.payment.state} />
                </dd>
                <dt>Transaction</dt>
                <dd>
                  <Hash value={link.payment.txHash} to={`/tx/${link.payment.txHash}`} short />
                </dd>
                <dt>Payer → payee</dt>
                <dd>
                  <AddressLink address={link.payment.payer} relation="payer" /> →{" "}
                  <AddressLink address={link.payment.payee} relation="payee" />
                </dd>
                <dt>Paid</dt>
                <dd>
                  {formatAmount(link.payment.amount, link.payment.token)} · {formatDateTime(link.payment.paidAt)}
                </dd>
              </dl>
            ) : link.kind !== "none" ? (
              <p className="muted">The payment is not indexed on Base.</p>
            ) : null}
            {link.receiptId ? (
              <p>
                Receipt <Hash value={link.receiptId} to={`/receipt/${link.receiptId}`} short />{" "}
                {link.receipt ? <ReceiptStateBadge state={link.receipt.state} /> : null}
              </p>
            ) : null}
            <SessionCandidates inferenceId={inference.id} />
          </section>
        </li>

        <li className={checks.inclusion && checks.provenance ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-settlement">
            <h2 id="step-settlement">
              4. {settlement.kind === "batch" ? "Batch settlement" : "Individual settlement"} on{" "}
              {chainNameOf(settlement.chainId)}
            </h2>
            <p className="muted" style={{ marginTop: 0 }}>
              The settlement that counts: the first official one that proves the inference; failing that, the first
              official one; failing that, the first unofficial one.
            </p>
            <SettlementFacts settlement={settlement} />
          </section>
        </li>

        <li className={inference.state === "proven" ? "pass" : "fail"}>
          <section className="card" aria-labelledby="step-checks">
            <VerifiedChecks
              id={inference.id}
              subject={subject}
              checks={indexerChecksOf(checks, inference.reasons)}
              heading={
                <h2 id="step-checks" style={{ margin: 0 }}>
                  5. Checks
                </h2>
              }
            />
          </section>
        </li>

        <li className={inference.settlementCount > 1 ? "" : "pass"}>
          <section className="card" aria-labelledby="step-settlements">
            <h2 id="step-settlements">6. Every settlement ({inference.settlementCount})</h2>
            <SettlementsTable settlements={inference.settlements} counting={settlement} />
          </section>
        </li>
      </ol>
      <ChainRecheck inferenceId={inference.id} leaf={settlement.leaf} />
    </article>
  );
}

/** Every settlement of the inference in chain order; later official ones are duplicates, unofficial ones never count. */
function SettlementsTable({
  settlements,
  counting,
}: {
  settlements: TrailInference["settlements"];
  counting: InferenceSettlementFieldsFragment;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="settlements">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>State</th>
            <th>Kind</th>
            <th>Transaction</th>
            <th>Block · log</th>
            <th>Posted by</th>
            <th>Blob</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {settlements.map((s, i) => {
            const isCounting = s.txHash === counting.txHash && s.logIndex === counting.logIndex;
            return (
              <tr
                key={`${s.txHash}-${s.logIndex}-${s.leafIndex}`}
                aria-current={isCounting ? "true" : undefined}
                style={isCounting ? { background: "var(--surface-2)" } : undefined}
              >
                <td className="num">{i + 1}</td>
                <td>
                  <SettledLeafStateBadge state={s.state} />
                  {isCounting ? <span className="muted"> counts</span> : null}
                </td>
                <td>{s.kind}</td>
                <td>
                  <Hash value={s.txHash} short to={`/tx/${s.txHash}`} />
                </td>
                <td>
                  {s.blockNumber} · {s.logIndex}
                </td>
                <td>
                  <AddressLink address={s.signer} relation="facilitator" /> <OfficialBadge official={s.official} />
                </td>
                <td>{s.blobStatus ? <BlobStatusBadge status={s.blobStatus} /> : "—"}</td>
                <td className="muted" style={{ whiteSpace: "normal", minWidth: "16rem" }}>
                  {s.reasons.map((r) => r.reason).join(" ") || (s.state === "proven" ? "—" : "")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        <Link to="/inferences">All inferences →</Link>
      </p>
    </div>
  );
}
