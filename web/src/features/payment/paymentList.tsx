import { PAYMENT_STATE_LABELS } from "../../lib/format";
import type { FilterField } from "../history/FilterBar";
import { checksOf, partyFilters, rangeFilters } from "../history/filterFields";
import { historyList } from "../history/ListPage";
import { sortingOf } from "../history/ListTable";
import { exportParamsOf } from "../history/listParams";
import { explorerNetwork } from "../verify/explorerProfile";
import { usePaymentHistory } from "./hooks";
import { PaymentTable } from "./PaymentTable";
import { PAYMENT_SCHEMES, PAYMENT_STATES, PAYMENT_VIEW_SPEC, type PaymentView, paymentsArgsOf } from "./paymentParams";
import { PAYMENT_SCHEME_LABELS } from "./scheme";

/** The filters; the tokens offered are the network profile's (the API filters by any address typed in the URL). */
function filtersOf(): FilterField<PaymentView>[] {
  const tokens = explorerNetwork().profile.payment.tokens;
  return [
    checksOf("states", "States", PAYMENT_STATES, PAYMENT_STATE_LABELS),
    checksOf("schemes", "Schemes", PAYMENT_SCHEMES, PAYMENT_SCHEME_LABELS),
    {
      kind: "select",
      key: "token",
      label: "Token",
      options: tokens.map((t) => ({ value: t.address.toLowerCase(), label: t.symbol })),
    },
    ...partyFilters(),
    ...rangeFilters("Paid"),
  ];
}

/** Every indexed x402 payment (EIP-3009, Permit2 exact and upto), newest first; at /payments. */
export const PAYMENT_LIST = historyList({
  title: "Payment history",
  noun: "payments",
  countTestId: "payment-count",
  view: PAYMENT_VIEW_SPEC,
  argsOf: paymentsArgsOf,
  useList: usePaymentHistory,
  pageOf: (data) => data.payments,
  get filters() {
    return filtersOf();
  },
  kept: ["sort", "direction", "size"],
  exportOf: (args) => ({ entity: "payments", params: exportParamsOf(args) }),
  table: (data, view, go) => (
    <PaymentTable rows={data.payments.edges.map((e) => e.node)} sorting={sortingOf(view, go)} />
  ),
});
