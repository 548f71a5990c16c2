import { useEffect, useState } from "react";
import type { ViewProblem } from "./listParams";

type Option = { value: string; label: string };

/** One filter of a history: a group of checkboxes (a list), a choice of one (or any), or a typed value. */
export type FilterField<V> =
  | { kind: "checks"; key: keyof V & string; legend: string; options: readonly Option[] }
  | { kind: "select"; key: keyof V & string; label: string; options: readonly Option[] }
  | { kind: "text"; key: keyof V & string; label: string; placeholder: string; decimal?: boolean };

/**
 * A history's filters: edited locally, applied to the URL on submit (so Back undoes a filter). Checkbox groups come
 * first, each in its own row; selects and typed values share a grid.
 */
export function FilterBar<V extends { after: string }>({
  view,
  fields,
  problems,
  onApply,
  onClear,
}: {
  view: V;
  fields: readonly FilterField<V>[];
  problems: readonly ViewProblem<V>[];
  onApply: (view: V) => void;
  onClear: () => void;
}) {
  const [draft, setDraft] = useState(view);
  useEffect(() => setDraft(view), [view]);
  const value = (key: keyof V) => draft[key] as unknown;
  const set = (key: keyof V, next: unknown) => setDraft({ ...draft, [key]: next });
  return (
    <form
      className="card"
      aria-label="Filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply({ ...draft, after: "" });
      }}
    >
      {fields.map((field) => {
        if (field.kind !== "checks") return null;
        const checked = value(field.key) as string[];
        return (
          <fieldset key={field.key} className="chips" style={{ border: 0, padding: 0, margin: "0 0 0.75rem" }}>
            <legend className="muted" style={{ marginBottom: "0.3rem" }}>
              {field.legend}
            </legend>
            {field.options.map((option) => (
              <label key={option.value} className="badge na" style={{ cursor: "pointer" }}>
                <input
                  type="checkbox"
                  name={field.key}
                  value={option.value}
                  checked={checked.includes(option.value)}
                  onChange={(event) =>
                    set(
                      field.key,
                      event.target.checked ? [...checked, option.value] : checked.filter((v) => v !== option.value),
                    )
                  }
                />
                {option.label}
              </label>
            ))}
          </fieldset>
        );
      })}
      <div className="filters">
        {fields.map((field) => {
          if (field.kind === "checks") return null;
          if (field.kind === "select")
            return (
              <label key={field.key}>
                {field.label}
                <select
                  name={field.key}
                  value={value(field.key) as string}
                  onChange={(event) => set(field.key, event.target.value)}
                >
                  <option value="">Any</option>
                  {field.options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </label>
            );
          const problem = problems.find((p) => p.field === field.key);
          return (
            <label key={field.key}>
              {field.label}
              <input
                name={field.key}
                value={value(field.key) as string}
                placeholder={field.placeholder}
                inputMode={field.decimal ? "decimal" : undefined}
                aria-invalid={problem ? true : undefined}
                spellCheck={false}
                onChange={(event) => set(field.key, event.target.value.trim())}
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
        <button type="button" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}
