import { RECEIPT_STATE_LABELS } from "../../lib/format";
import { checksOf, enclaveFilter, partyFilters, rangeFilters } from "./filterFields";
import { HistoryTable } from "./HistoryTable";
import { HISTORY_VIEW_SPEC, RECEIPT_STATES, receiptsArgsOf } from "./historyParams";
import { useHistory } from "./hooks";
import { historyList } from "./ListPage";
import { sortingOf } from "./ListTable";
import { exportParamsOf } from "./listParams";

/** The receipt history (exact links, with amounts), at /history. */
export const RECEIPT_LIST = historyList({
  title: "Settlement history",
  noun: "receipts",
  countTestId: "history-count",
  view: HISTORY_VIEW_SPEC,
  argsOf: receiptsArgsOf,
  useList: useHistory,
  pageOf: (data) => data.receipts,
  filters: [
    checksOf("states", "States", RECEIPT_STATES, RECEIPT_STATE_LABELS),
    ...partyFilters(),
    enclaveFilter(),
    ...rangeFilters("Settled"),
    { kind: "text", key: "minAmount", label: "Min amount (USDC)", placeholder: "e.g. 0.5", decimal: true },
    { kind: "text", key: "maxAmount", label: "Max amount (USDC)", placeholder: "e.g. 10", decimal: true },
  ],
  kept: ["sort", "direction", "size"],
  exportOf: (args) => ({ entity: "receipts", params: exportParamsOf(args) }),
  table: (data, view, go) => (
    <HistoryTable rows={data.receipts.edges.map((e) => e.node)} sorting={sortingOf(view, go)} />
  ),
});
