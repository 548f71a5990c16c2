import type { HistoryQuery, ReceiptOrderField } from "../../graphql/generated/graphql";
import { formatAmount, formatDateTime, formatDuration } from "../../lib/format";
import { ReceiptStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { type Column, ListTable, type Sorting } from "./ListTable";

type ReceiptRow = HistoryQuery["receipts"]["edges"][number]["node"];

const COLUMNS: readonly Column<ReceiptRow, ReceiptOrderField>[] = [
  { label: "Receipt", cell: (r) => <Hash value={r.id} short to={`/receipt/${r.id}`} /> },
  { label: "State", cell: (r) => <ReceiptStateBadge state={r.state} /> },
  { label: "Amount", sort: "AMOUNT", numeric: true, cell: (r) => formatAmount(r.amount) },
  { label: "Payer", cell: (r) => <AddressLink address={r.payer} relation="payer" /> },
  { label: "Payee", cell: (r) => <AddressLink address={r.payee} relation="payee" /> },
  { label: "Facilitator", cell: (r) => <AddressLink address={r.facilitator} relation="facilitator" /> },
  { label: "Kind", cell: (r) => r.settlement.kind },
  { label: "Paid", sort: "PAID_AT", cell: (r) => formatDateTime(r.paidAt) },
  { label: "Settled", sort: "SETTLED_AT", cell: (r) => formatDateTime(r.settledAt) },
  { label: "Latency", sort: "LATENCY", numeric: true, cell: (r) => formatDuration(r.latencySeconds) },
];

/** One page of the settlement history. */
export const HistoryTable = ({
  rows,
  sorting,
}: {
  rows: readonly ReceiptRow[];
  sorting: Sorting<ReceiptOrderField>;
}) => <ListTable testId="history" columns={COLUMNS} rows={rows} sorting={sorting} />;
