/** A column header that sorts by its field: first click descending, second ascending. */
export function SortHeader<F extends string>({
  label,
  field,
  view,
  onSort,
  numeric,
}: {
  label: string;
  field: F;
  view: { sort: F; direction: "ASC" | "DESC" };
  onSort: (field: F, direction: "ASC" | "DESC") => void;
  numeric?: boolean;
}) {
  const active = view.sort === field;
  const next = active && view.direction === "DESC" ? "ASC" : "DESC";
  return (
    <th
      className={numeric ? "num" : undefined}
      aria-sort={active ? (view.direction === "ASC" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="copy"
        style={{ fontWeight: 600, color: active ? "var(--text)" : undefined }}
        onClick={() => onSort(field, next)}
        aria-label={`Sort by ${label.toLowerCase()}, ${next === "DESC" ? "descending" : "ascending"}`}
      >
        {label} {active ? (view.direction === "DESC" ? "↓" : "↑") : ""}
      </button>
    </th>
  );
}
