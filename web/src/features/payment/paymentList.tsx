import { PAYMENT_STATE_LABELS } from "../../lib/format";
import type { FilterField } from "../history/FilterBar";
import type { HistoryList } from "../history/ListPage";
import { explorerNetwork } from "../verify/explorerProfile";
import { usePaymentHistory } from "./hooks";
import { PaymentTable } from "./PaymentTable";
import {
  DEFAULT_PAYMENT_VIEW,
  PAYMENT_PAGE_SIZES,
  PAYMENT_SCHEMES,
  PAYMENT_STATES,
  type PaymentView,
  paramsOfPaymentView,
  paymentExportParamsOf,
  paymentsArgsOf,
  paymentViewOf,
} from "./paymentParams";
import { PAYMENT_SCHEME_LABELS } from "./scheme";

/** The filters; the tokens offered are the network profile's (the API filters by any address typed in the URL). */
function filtersOf(): FilterField<PaymentView>[] {
  const tokens = explorerNetwork().profile.payment.tokens;
  return [
    {
      kind: "checks",
      key: "states",
      legend: "States",
      options: PAYMENT_STATES.map((s) => ({ value: s, label: PAYMENT_STATE_LABELS[s] })),
    },
    {
      kind: "checks",
      key: "schemes",
      legend: "Schemes",
      options: PAYMENT_SCHEMES.map((s) => ({ value: s, label: PAYMENT_SCHEME_LABELS[s] })),
    },
    {
      kind: "select",
      key: "token",
      label: "Token",
      options: tokens.map((t) => ({ value: t.address.toLowerCase(), label: t.symbol })),
    },
    { kind: "text", key: "payer", label: "Payer", placeholder: "0x… address" },
    { kind: "text", key: "payee", label: "Payee", placeholder: "0x… address" },
    { kind: "text", key: "facilitator", label: "Facilitator", placeholder: "0x… address" },
    { kind: "text", key: "from", label: "Paid from (UTC)", placeholder: "YYYY-MM-DD" },
    { kind: "text", key: "to", label: "Paid through (UTC)", placeholder: "YYYY-MM-DD" },
  ];
}

/** Every indexed x402 payment (EIP-3009, Permit2 exact and upto), newest first; at /payments. */
export const PAYMENT_LIST: HistoryList<
  PaymentView,
  Omit<ReturnType<typeof paymentsArgsOf>, "problems">,
  NonNullable<ReturnType<typeof usePaymentHistory>["data"]>
> = {
  title: "Payment history",
  noun: "payments",
  countTestId: "payment-count",
  pageSizes: PAYMENT_PAGE_SIZES,
  viewOf: paymentViewOf,
  paramsOf: paramsOfPaymentView,
  argsOf: (view) => {
    const { problems, ...args } = paymentsArgsOf(view);
    return { args, problems };
  },
  useList: usePaymentHistory,
  pageOf: (data) => data.payments,
  get filters() {
    return filtersOf();
  },
  cleared: (view) => ({ ...DEFAULT_PAYMENT_VIEW, sort: view.sort, direction: view.direction, size: view.size }),
  exportOf: (args) => ({ entity: "payments", params: paymentExportParamsOf(args) }),
  table: (data, view, go) => (
    <PaymentTable
      rows={data.payments.edges}
      view={view}
      onSort={(sort, direction) => go({ ...view, sort, direction })}
    />
  ),
};
