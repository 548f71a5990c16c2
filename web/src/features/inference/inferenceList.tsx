import { INFERENCE_STATE_LABELS, LINK_KIND_LABELS } from "../../lib/format";
import { checksOf, enclaveFilter, optionsOf, rangeFilters } from "../history/filterFields";
import { historyList } from "../history/ListPage";
import { useInferenceHistory } from "./hooks";
import { InferenceTable } from "./InferenceTable";
import {
  INFERENCE_STATES,
  INFERENCE_VIEW_SPEC,
  type InferenceView,
  inferencesArgsOf,
  LINK_KINDS,
} from "./inferenceParams";

/** Every indexed inference, by state, payment link and enclave, newest counting settlement first; at /inferences. */
export const INFERENCE_LIST = historyList({
  title: "Inference history",
  noun: "inferences",
  countTestId: "inference-count",
  view: INFERENCE_VIEW_SPEC,
  argsOf: inferencesArgsOf,
  useList: useInferenceHistory,
  pageOf: (data) => data.inferences,
  filters: [
    checksOf("states", "States", INFERENCE_STATES, INFERENCE_STATE_LABELS),
    { kind: "select", key: "linkKind", label: "Payment link", options: optionsOf(LINK_KINDS, LINK_KIND_LABELS) },
    enclaveFilter(),
    ...rangeFilters("Settled"),
  ],
  kept: ["size"],
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
});
