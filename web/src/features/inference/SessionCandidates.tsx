import { type FormEvent, useState } from "react";
import { formatDateTime } from "../../lib/format";
import { PaymentStateBadge } from "../../ui/Badge";
import { Hash } from "../../ui/Hash";
import { formatAssetAmount } from "../payment/assetAmount";
import { PAYMENT_SCHEME_LABELS } from "../payment/scheme";
import { useSessionCandidates } from "./hooks";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * "I paid from 0x…": the payments from an address the user gives to the enclave's payment address within the
 * inference's session window (docs/protocol.md §4), earliest first — the first is the one a session link would pick.
 */
export function SessionCandidates({ inferenceId }: { inferenceId: string }) {
  const [draft, setDraft] = useState("");
  const [payer, setPayer] = useState<string | null>(null);
  const candidates = useSessionCandidates(inferenceId, payer);
  const valid = ADDRESS.test(draft.trim());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) setPayer(draft.trim());
  };
  const found = candidates.data?.inference?.sessionCandidates ?? [];
  return (
    <div data-testid="session-candidates">
      <form onSubmit={submit} style={{ display: "flex", gap: "0.5rem", alignItems: "center", flexWrap: "wrap" }}>
        <label htmlFor="session-payer">I paid from</label>
        <input
          id="session-payer"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="0x… (the address you paid from)"
          spellCheck={false}
          style={{ minWidth: "26rem", fontFamily: "var(--mono, monospace)" }}
          aria-invalid={draft !== "" && !valid}
        />
        <button type="submit" disabled={!valid}>
          Find payments
        </button>
      </form>
      {draft !== "" && !valid ? <p className="muted">An address is 0x followed by 40 hex digits.</p> : null}
      {payer === null ? null : candidates.isPending ? (
        <p className="muted">Looking for payments…</p>
      ) : candidates.error ? (
        <p style={{ color: "var(--fail)" }}>{candidates.error.message}</p>
      ) : found.length === 0 ? (
        <p className="muted" data-testid="session-candidates-none">
          No payment from <Hash value={payer} short /> to the enclave's payment address settled within this inference's
          session window.
        </p>
      ) : (
        <div className="table-wrap">
          <p className="muted">
            Payments from <Hash value={payer} short /> to the enclave's payment address within the session window,
            earliest first: the first is the one a session link picks.
          </p>
          <table>
            <thead>
              <tr>
                <th>Payment</th>
                <th>Scheme</th>
                <th className="num">Amount</th>
                <th>Paid</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {found.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Hash value={p.id} short to={`/payment/${p.id}`} />
                  </td>
                  <td>{PAYMENT_SCHEME_LABELS[p.scheme]}</td>
                  <td className="num">
                    {formatAssetAmount(p.amount, p.asset)}
                    {p.maxAmount ? <span className="muted"> of {formatAssetAmount(p.maxAmount, p.asset)}</span> : null}
                  </td>
                  <td>{formatDateTime(p.paidAt)}</td>
                  <td>
                    <PaymentStateBadge state={p.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
