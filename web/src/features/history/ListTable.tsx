import type { ReactNode } from "react";
import type { OrderDirection } from "../../graphql/generated/graphql";
import { SortHeader } from "./SortHeader";

/** One column of a list's table: its header, the order field it sorts by (if it does), and its cell of a row. */
export type Column<R, F extends string = never> = {
  label: string;
  sort?: F;
  /** Right-aligned, header and cells. */
  numeric?: boolean;
  cell: (row: R) => ReactNode;
};

/** The order a table shows, and how a click on a sorting header changes it. */
export type Sorting<F extends string> = {
  view: { sort: F; direction: OrderDirection };
  onSort: (field: F, direction: OrderDirection) => void;
};

/** The sorting of a view whose changes go to `go`, e.g. the list page's navigation. */
export const sortingOf = <F extends string, V extends { sort: F; direction: OrderDirection }>(
  view: V,
  go: (next: V) => void,
): Sorting<F> => ({ view, onSort: (sort, direction) => go({ ...view, sort, direction }) });

/** A table of rows, one column per spec; headers of sorting columns sort when `sorting` is given. */
export function ListTable<R extends { id: string }, F extends string = never>({
  testId,
  columns,
  rows,
  sorting,
  rowData,
}: {
  testId: string;
  columns: readonly Column<R, F>[];
  rows: readonly R[];
  sorting?: Sorting<F>;
  /** `data-*` attributes of a row's `<tr>`. */
  rowData?: (row: R) => Record<`data-${string}`, string>;
}) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) =>
              column.sort && sorting ? (
                <SortHeader
                  key={column.label}
                  label={column.label}
                  field={column.sort}
                  view={sorting.view}
                  onSort={sorting.onSort}
                  numeric={column.numeric}
                />
              ) : (
                <th key={column.label} className={column.numeric ? "num" : undefined}>
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} {...rowData?.(row)}>
              {columns.map((column) => (
                <td key={column.label} className={column.numeric ? "num" : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
