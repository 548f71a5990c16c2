import { useEffect, useState } from "react";
import { INFERENCE_STATE_LABELS, LINK_KIND_LABELS } from "../../lib/format";
import {
  DEFAULT_INFERENCE_VIEW,
  INFERENCE_STATES,
  type InferenceView,
  type InferenceViewProblem,
  LINK_KINDS,
} from "./inferenceParams";

const TEXT_FIELDS = [
  ["teeId", "Enclave (TEE id)", "0x… 32 bytes"],
  ["from", "Settled from (UTC)", "YYYY-MM-DD"],
  ["to", "Settled through (UTC)", "YYYY-MM-DD"],
] as const;

/** The inference history's filters: edited locally, applied to the URL on submit (so Back undoes a filter). */
export function InferenceFilters({
  view,
  problems,
  onApply,
}: {
  view: InferenceView;
  problems: InferenceViewProblem[];
  onApply: (view: InferenceView) => void;
}) {
  const [draft, setDraft] = useState(view);
  useEffect(() => setDraft(view), [view]);
  return (
    <form
      className="card"
      aria-label="Filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply({ ...draft, after: "" });
      }}
    >
      <fieldset className="chips" style={{ border: 0, padding: 0, margin: "0 0 0.75rem" }}>
        <legend className="muted" style={{ marginBottom: "0.3rem" }}>
          States
        </legend>
        {INFERENCE_STATES.map((state) => (
          <label key={state} className="badge na" style={{ cursor: "pointer" }}>
            <input
              type="checkbox"
              name="state"
              value={state}
              checked={draft.states.includes(state)}
              onChange={(event) =>
                setDraft({
                  ...draft,
                  states: event.target.checked ? [...draft.states, state] : draft.states.filter((s) => s !== state),
                })
              }
            />
            {INFERENCE_STATE_LABELS[state]}
          </label>
        ))}
      </fieldset>
      <div className="filters">
        <label>
          Payment link
          <select
            name="link"
            value={draft.linkKind}
            onChange={(event) => setDraft({ ...draft, linkKind: event.target.value as InferenceView["linkKind"] })}
          >
            <option value="">Any</option>
            {LINK_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {LINK_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        {TEXT_FIELDS.map(([key, label, placeholder]) => {
          const problem = problems.find((p) => p.field === key);
          return (
            <label key={key}>
              {label}
              <input
                name={key}
                value={draft[key]}
                placeholder={placeholder}
                aria-invalid={problem ? true : undefined}
                spellCheck={false}
                onChange={(event) => setDraft({ ...draft, [key]: event.target.value.trim() })}
              />
              {problem ? <span className="field-error">{problem.message}</span> : null}
            </label>
          );
        })}
      </div>
      <div className="toolbar">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={() => onApply({ ...DEFAULT_INFERENCE_VIEW, size: view.size })}>
          Clear
        </button>
      </div>
    </form>
  );
}
