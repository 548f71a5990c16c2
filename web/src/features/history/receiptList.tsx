import { RECEIPT_STATE_LABELS } from "../../lib/format";
import type { FilterField } from "./FilterBar";
import { HistoryTable } from "./HistoryTable";
import {
  DEFAULT_HISTORY_VIEW,
  exportParamsOf,
  HISTORY_PAGE_SIZES,
  type HistoryView,
  historyViewOf,
  paramsOfHistoryView,
  RECEIPT_STATES,
  receiptsArgsOf,
} from "./historyParams";
import { useHistory } from "./hooks";
import type { HistoryList } from "./ListPage";

const FILTERS: FilterField<HistoryView>[] = [
  {
    kind: "checks",
    key: "states",
    legend: "States",
    options: RECEIPT_STATES.map((s) => ({ value: s, label: RECEIPT_STATE_LABELS[s] })),
  },
  { kind: "text", key: "payer", label: "Payer", placeholder: "0x… address" },
  { kind: "text", key: "payee", label: "Payee", placeholder: "0x… address" },
  { kind: "text", key: "facilitator", label: "Facilitator", placeholder: "0x… address" },
  { kind: "text", key: "teeId", label: "Enclave (TEE id)", placeholder: "0x… 32 bytes" },
  { kind: "text", key: "from", label: "Settled from (UTC)", placeholder: "YYYY-MM-DD" },
  { kind: "text", key: "to", label: "Settled through (UTC)", placeholder: "YYYY-MM-DD" },
  { kind: "text", key: "minAmount", label: "Min amount (USDC)", placeholder: "e.g. 0.5", decimal: true },
  { kind: "text", key: "maxAmount", label: "Max amount (USDC)", placeholder: "e.g. 10", decimal: true },
];

/** The receipt history (exact links, with amounts), at /history. */
export const RECEIPT_LIST: HistoryList<
  HistoryView,
  Omit<ReturnType<typeof receiptsArgsOf>, "problems">,
  NonNullable<ReturnType<typeof useHistory>["data"]>
> = {
  title: "Settlement history",
  noun: "receipts",
  countTestId: "history-count",
  pageSizes: HISTORY_PAGE_SIZES,
  viewOf: historyViewOf,
  paramsOf: paramsOfHistoryView,
  argsOf: (view) => {
    const { problems, ...args } = receiptsArgsOf(view);
    return { args, problems };
  },
  useList: useHistory,
  pageOf: (data) => data.receipts,
  filters: FILTERS,
  cleared: (view) => ({ ...DEFAULT_HISTORY_VIEW, sort: view.sort, direction: view.direction, size: view.size }),
  exportOf: (args) => ({ entity: "receipts", params: exportParamsOf(args) }),
  table: (data, view, go) => (
    <HistoryTable
      rows={data.receipts.edges}
      view={view}
      onSort={(sort, direction) => go({ ...view, sort, direction })}
    />
  ),
};
