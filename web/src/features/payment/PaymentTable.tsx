import type { PaymentHistoryQuery, PaymentOrderField } from "../../graphql/generated/graphql";
import { formatDateTime } from "../../lib/format";
import { PaymentStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { type Column, ListTable, type Sorting } from "../history/ListTable";
import { formatAssetAmount } from "./assetAmount";
import { PAYMENT_SCHEME_LABELS } from "./scheme";

type PaymentRow = PaymentHistoryQuery["payments"]["edges"][number]["node"];

const COLUMNS: readonly Column<PaymentRow, PaymentOrderField>[] = [
  { label: "Payment", cell: (p) => <Hash value={p.id} short to={`/payment/${p.id}`} /> },
  { label: "State", cell: (p) => <PaymentStateBadge state={p.state} /> },
  { label: "Scheme", cell: (p) => PAYMENT_SCHEME_LABELS[p.scheme] },
  { label: "Amount", sort: "AMOUNT", numeric: true, cell: (p) => formatAssetAmount(p.amount, p.asset) },
  { label: "Maximum", numeric: true, cell: (p) => (p.maxAmount ? formatAssetAmount(p.maxAmount, p.asset) : "—") },
  { label: "Payer", cell: (p) => <AddressLink address={p.payer} relation="payer" /> },
  { label: "Payee", cell: (p) => (p.payee ? <AddressLink address={p.payee} relation="payee" /> : "—") },
  {
    label: "Facilitator",
    cell: (p) => (
      <>
        <AddressLink address={p.facilitator} relation="facilitator" />
        {p.facilitatorName ? <span className="muted"> {p.facilitatorName}</span> : null}
      </>
    ),
  },
  { label: "Paid", sort: "PAID_AT", cell: (p) => formatDateTime(p.paidAt) },
  { label: "Inferences", numeric: true, cell: (p) => p.receiptCount + p.sessionInferenceCount },
];

/** One page of the payment history: amounts in each payment's token units, the upto maximum beside the settled. */
export const PaymentTable = ({
  rows,
  sorting,
}: {
  rows: readonly PaymentRow[];
  sorting: Sorting<PaymentOrderField>;
}) => (
  <ListTable
    testId="payments"
    columns={COLUMNS}
    rows={rows}
    sorting={sorting}
    rowData={(p) => ({ "data-token": p.token, "data-scheme": p.scheme })}
  />
);
