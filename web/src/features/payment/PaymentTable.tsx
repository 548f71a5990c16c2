import type { PaymentHistoryQuery, PaymentOrderField } from "../../graphql/generated/graphql";
import { formatDateTime } from "../../lib/format";
import { PaymentStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { SortHeader } from "../history/SortHeader";
import { formatAssetAmount } from "./assetAmount";
import type { PaymentView } from "./paymentParams";
import { PAYMENT_SCHEME_LABELS } from "./scheme";

/** One page of the payment history: amounts in each payment's token units, the upto maximum beside the settled. */
export function PaymentTable({
  rows,
  view,
  onSort,
}: {
  rows: PaymentHistoryQuery["payments"]["edges"];
  view: PaymentView;
  onSort: (field: PaymentOrderField, direction: "ASC" | "DESC") => void;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="payments">
        <thead>
          <tr>
            <th>Payment</th>
            <th>State</th>
            <th>Scheme</th>
            <SortHeader label="Amount" field="AMOUNT" view={view} onSort={onSort} numeric />
            <th className="num">Maximum</th>
            <th>Payer</th>
            <th>Payee</th>
            <th>Facilitator</th>
            <SortHeader label="Paid" field="PAID_AT" view={view} onSort={onSort} />
            <th className="num">Inferences</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node: p }) => (
            <tr key={p.id} data-token={p.token} data-scheme={p.scheme}>
              <td>
                <Hash value={p.id} short to={`/payment/${p.id}`} />
              </td>
              <td>
                <PaymentStateBadge state={p.state} />
              </td>
              <td>{PAYMENT_SCHEME_LABELS[p.scheme]}</td>
              <td className="num">{formatAssetAmount(p.amount, p.asset)}</td>
              <td className="num">{p.maxAmount ? formatAssetAmount(p.maxAmount, p.asset) : "—"}</td>
              <td>
                <AddressLink address={p.payer} relation="payer" />
              </td>
              <td>{p.payee ? <AddressLink address={p.payee} relation="payee" /> : "—"}</td>
              <td>
                <AddressLink address={p.facilitator} relation="facilitator" />
                {p.facilitatorName ? <span className="muted"> {p.facilitatorName}</span> : null}
              </td>
              <td>{formatDateTime(p.paidAt)}</td>
              <td className="num">{p.receiptCount + p.sessionInferenceCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
