import type { HistoryQuery, ReceiptOrderField } from "../../graphql/generated/graphql";
import { formatAmount, formatDateTime, formatDuration } from "../../lib/format";
import { ReceiptStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import type { HistoryView } from "./historyParams";
import { SortHeader } from "./SortHeader";

/** One page of the settlement history. */
export function HistoryTable({
  rows,
  view,
  onSort,
}: {
  rows: HistoryQuery["receipts"]["edges"];
  view: HistoryView;
  onSort: (field: ReceiptOrderField, direction: "ASC" | "DESC") => void;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="history">
        <thead>
          <tr>
            <th>Receipt</th>
            <th>State</th>
            <SortHeader label="Amount" field="AMOUNT" view={view} onSort={onSort} numeric />
            <th>Payer</th>
            <th>Payee</th>
            <th>Facilitator</th>
            <th>Kind</th>
            <SortHeader label="Paid" field="PAID_AT" view={view} onSort={onSort} />
            <SortHeader label="Settled" field="SETTLED_AT" view={view} onSort={onSort} />
            <SortHeader label="Latency" field="LATENCY" view={view} onSort={onSort} numeric />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node: r }) => (
            <tr key={r.id}>
              <td>
                <Hash value={r.id} short to={`/receipt/${r.id}`} />
              </td>
              <td>
                <ReceiptStateBadge state={r.state} />
              </td>
              <td className="num">{formatAmount(r.amount)}</td>
              <td>
                <AddressLink address={r.payer} relation="payer" />
              </td>
              <td>
                <AddressLink address={r.payee} relation="payee" />
              </td>
              <td>
                <AddressLink address={r.facilitator} relation="facilitator" />
              </td>
              <td>{r.settlement.kind}</td>
              <td>{formatDateTime(r.paidAt)}</td>
              <td>{formatDateTime(r.settledAt)}</td>
              <td className="num">{formatDuration(r.latencySeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
