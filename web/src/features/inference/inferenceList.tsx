import { INFERENCE_STATE_LABELS, LINK_KIND_LABELS } from "../../lib/format";
import type { FilterField } from "../history/FilterBar";
import type { HistoryList } from "../history/ListPage";
import { useInferenceHistory } from "./hooks";
import { InferenceTable } from "./InferenceTable";
import {
  DEFAULT_INFERENCE_VIEW,
  INFERENCE_PAGE_SIZES,
  INFERENCE_STATES,
  type InferenceView,
  inferencesArgsOf,
  inferenceViewOf,
  LINK_KINDS,
  paramsOfInferenceView,
} from "./inferenceParams";

const FILTERS: FilterField<InferenceView>[] = [
  {
    kind: "checks",
    key: "states",
    legend: "States",
    options: INFERENCE_STATES.map((s) => ({ value: s, label: INFERENCE_STATE_LABELS[s] })),
  },
  {
    kind: "select",
    key: "linkKind",
    label: "Payment link",
    options: LINK_KINDS.map((k) => ({ value: k, label: LINK_KIND_LABELS[k] })),
  },
  { kind: "text", key: "teeId", label: "Enclave (TEE id)", placeholder: "0x… 32 bytes" },
  { kind: "text", key: "from", label: "Settled from (UTC)", placeholder: "YYYY-MM-DD" },
  { kind: "text", key: "to", label: "Settled through (UTC)", placeholder: "YYYY-MM-DD" },
];

/** Every indexed inference, by state, payment link and enclave, newest counting settlement first; at /inferences. */
export const INFERENCE_LIST: HistoryList<
  InferenceView,
  Omit<ReturnType<typeof inferencesArgsOf>, "problems">,
  NonNullable<ReturnType<typeof useInferenceHistory>["data"]>
> = {
  title: "Inference history",
  noun: "inferences",
  countTestId: "inference-count",
  pageSizes: INFERENCE_PAGE_SIZES,
  viewOf: inferenceViewOf,
  paramsOf: paramsOfInferenceView,
  argsOf: (view) => {
    const { problems, ...args } = inferencesArgsOf(view);
    return { args, problems };
  },
  useList: useInferenceHistory,
  pageOf: (data) => data.inferences,
  filters: FILTERS,
  cleared: (view) => ({ ...DEFAULT_INFERENCE_VIEW, size: view.size }),
  controls: (view, go) => (
    <label className="muted">
      Order{" "}
      <select
        value={view.direction}
        onChange={(event) => go({ ...view, direction: event.target.value as InferenceView["direction"] })}
      >
        <option value="DESC">newest first</option>
        <option value="ASC">oldest first</option>
      </select>
    </label>
  ),
  table: (data) => <InferenceTable rows={data.inferences.edges.map((e) => e.node)} testId="inferences" />,
};
