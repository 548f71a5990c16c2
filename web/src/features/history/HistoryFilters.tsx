import { useEffect, useState } from "react";
import { RECEIPT_STATE_LABELS } from "../../lib/format";
import { DEFAULT_HISTORY_VIEW, type HistoryView, RECEIPT_STATES, type ViewProblem } from "./historyParams";

const TEXT_FIELDS = [
  ["payer", "Payer", "0x… address"],
  ["payee", "Payee", "0x… address"],
  ["facilitator", "Facilitator", "0x… address"],
  ["teeId", "Enclave (TEE id)", "0x… 32 bytes"],
  ["from", "Settled from (UTC)", "YYYY-MM-DD"],
  ["to", "Settled through (UTC)", "YYYY-MM-DD"],
  ["minAmount", "Min amount (USDC)", "e.g. 0.5"],
  ["maxAmount", "Max amount (USDC)", "e.g. 10"],
] as const;

/** The history's filters: edited locally, applied to the URL on submit (so Back undoes a filter). */
export function HistoryFilters({
  view,
  problems,
  onApply,
}: {
  view: HistoryView;
  problems: ViewProblem[];
  onApply: (view: HistoryView) => void;
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
        {RECEIPT_STATES.map((state) => (
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
            {RECEIPT_STATE_LABELS[state]}
          </label>
        ))}
      </fieldset>
      <div className="filters">
        {TEXT_FIELDS.map(([key, label, placeholder]) => {
          const problem = problems.find((p) => p.field === key);
          return (
            <label key={key}>
              {label}
              <input
                name={key}
                value={draft[key]}
                placeholder={placeholder}
                inputMode={key === "minAmount" || key === "maxAmount" ? "decimal" : undefined}
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
        <button
          type="button"
          onClick={() =>
            onApply({ ...DEFAULT_HISTORY_VIEW, sort: view.sort, direction: view.direction, size: view.size })
          }
        >
          Clear
        </button>
      </div>
    </form>
  );
}
