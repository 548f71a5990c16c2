import type { HistoryQuery, ReceiptOrderField } from "../../graphql/generated/graphql";
import { formatAmount, formatDateTime, formatDuration } from "../../lib/format";
import { ReceiptStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import type { HistoryView } from "./historyParams";

const SORTABLE: Record<string, ReceiptOrderField> = {
  Amount: "AMOUNT",
  Paid: "PAID_AT",
  Settled: "SETTLED_AT",
  Latency: "LATENCY",
};

/** A column header that sorts by its field: first click descending, second ascending. */
function SortHeader({
  label,
  view,
  onSort,
  numeric,
}: {
  label: keyof typeof SORTABLE;
  view: HistoryView;
  onSort: (field: ReceiptOrderField, direction: "ASC" | "DESC") => void;
  numeric?: boolean;
}) {
  const field = SORTABLE[label]!;
  const active = view.sort === field;
  const next = active && view.direction === "DESC" ? "ASC" : "DESC";
  return (
    <th
      className={numeric ? "num" : undefined}
      aria-sort={active ? (view.direction === "ASC" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="copy"
        style={{ fontWeight: 600, color: active ? "var(--text)" : undefined }}
        onClick={() => onSort(field, next)}
        aria-label={`Sort by ${label.toLowerCase()}, ${next === "DESC" ? "descending" : "ascending"}`}
      >
        {label} {active ? (view.direction === "DESC" ? "↓" : "↑") : ""}
      </button>
    </th>
  );
}

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
            <SortHeader label="Amount" view={view} onSort={onSort} numeric />
            <th>Payer</th>
            <th>Payee</th>
            <th>Facilitator</th>
            <th>Kind</th>
            <SortHeader label="Paid" view={view} onSort={onSort} />
            <SortHeader label="Settled" view={view} onSort={onSort} />
            <SortHeader label="Latency" view={view} onSort={onSort} numeric />
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
