import { Link } from "react-router";
import type { AddressQuery, PaymentRowFragment } from "../../graphql/generated/graphql";
import { formatAmount, formatCount, formatDateTime } from "../../lib/format";
import { BlobStatusBadge, OfficialBadge, PaymentStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { EmptyState } from "../../ui/StatusViews";
import { formatAssetAmount } from "../payment/assetAmount";

export const ADDRESS_ROLES = ["payer", "payee", "facilitator"] as const;
export type AddressRole = (typeof ADDRESS_ROLES)[number];

/** True when the address appears in no role at all: the page's not-found. */
export const isUnknownAddress = (data: AddressQuery) =>
  !data.facilitator &&
  data.asPayer.totalCount === 0 &&
  data.asPayee.totalCount === 0 &&
  data.settlements.totalCount === 0;

function PaymentRows({ rows }: { rows: PaymentRowFragment[] }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Payment</th>
            <th>State</th>
            <th className="num">Amount</th>
            <th>Payer</th>
            <th>Payee</th>
            <th>Paid</th>
            <th className="num">Receipts</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id}>
              <td>
                <Hash value={p.id} short to={`/payment/${p.id}`} />
              </td>
              <td>
                <PaymentStateBadge state={p.state} />
              </td>
              <td className="num">{formatAmount(p.amount, p.token)}</td>
              <td>
                <AddressLink address={p.payer} relation="payer" />
              </td>
              <td>
                <AddressLink address={p.payee} relation="payee" />
              </td>
              <td>{formatDateTime(p.paidAt)}</td>
              <td className="num">{p.receiptCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An address as payer, payee and facilitator, one role at a time (tabs in the URL). */
export function AddressDetail({ address, role, data }: { address: string; role: AddressRole; data: AddressQuery }) {
  const counts: Record<AddressRole, number> = {
    payer: data.asPayer.totalCount,
    payee: data.asPayee.totalCount,
    facilitator: data.asFacilitator.totalCount + data.settlements.totalCount,
  };
  const f = data.facilitator;
  const rows = role === "payer" ? data.asPayer : role === "payee" ? data.asPayee : data.asFacilitator;
  return (
    <>
      <section className="card" aria-labelledby="address-title">
        <h1 id="address-title">Address</h1>
        <p>
          <Hash value={address} copy />
        </p>
        {f ? (
          <div className="figures">
            <div className="figure">
              <div className="value">{formatCount(f.payments)}</div>
              <div className="label">
                payments submitted
                {f.paymentVolumes.map((v) => ` · ${formatAssetAmount(v.volume, v.asset)}`).join("")}
              </div>
            </div>
            <div className="figure">
              <div className="value">{formatCount(f.provenPayments)}</div>
              <div className="label">proven · {formatCount(f.overduePayments)} overdue</div>
            </div>
            <div className="figure">
              <div className="value">{formatCount(f.settlements)}</div>
              <div className="label">settlements posted ({formatCount(f.batchSettlements)} batches)</div>
            </div>
            <div className="figure">
              <div className="value">{formatCount(f.verifiedReceipts)}</div>
              <div className="label">verified receipts · {formatAmount(f.verifiedVolume)}</div>
            </div>
          </div>
        ) : null}
      </section>
      <nav className="tabs" aria-label="Roles">
        {ADDRESS_ROLES.map((r) => (
          <Link
            key={r}
            to={`?role=${r}`}
            replace
            className={r === role ? "active" : ""}
            aria-current={r === role ? "page" : undefined}
          >
            As {r} ({formatCount(counts[r])})
          </Link>
        ))}
      </nav>
      <section className="card" aria-label={`As ${role}`}>
        {rows.totalCount === 0 && (role !== "facilitator" || data.settlements.totalCount === 0) ? (
          <EmptyState title={`Not seen as ${role}`}>This address has no payments as {role}.</EmptyState>
        ) : (
          <>
            {rows.totalCount > 0 ? (
              <>
                <h2>
                  {role === "facilitator" ? "Payments submitted" : "Payments"} ({formatCount(rows.totalCount)})
                </h2>
                <PaymentRows rows={rows.nodes} />
                {rows.totalCount > rows.nodes.length ? (
                  <p>
                    <Link to={`/history?${role}=${address}`}>All receipts with this {role} in the history →</Link>
                  </p>
                ) : null}
              </>
            ) : null}
            {role === "facilitator" && data.settlements.totalCount > 0 ? (
              <>
                <h2>Settlements posted ({formatCount(data.settlements.totalCount)})</h2>
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th>Transaction</th>
                        <th>Kind</th>
                        <th>Posted</th>
                        <th>Root</th>
                        <th>Blob</th>
                        <th className="num">Leaves</th>
                        <th>Time</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.settlements.nodes.map((s) => (
                        <tr key={s.id}>
                          <td>
                            <Hash value={s.txHash} short to={`/tx/${s.txHash}`} />
                          </td>
                          <td>{s.kind}</td>
                          <td>
                            <OfficialBadge official={s.official} />
                          </td>
                          <td>
                            {s.merkleRoot ? <Hash value={s.merkleRoot} short to={`/batch/${s.merkleRoot}`} /> : "—"}
                          </td>
                          <td>{s.blobStatus ? <BlobStatusBadge status={s.blobStatus} /> : "—"}</td>
                          <td className="num">{s.leafCount}</td>
                          <td>{formatDateTime(s.timestamp)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
