import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useMemo } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { exportUrlOf } from "../../graphql/config";
import { formatCount } from "../../lib/format";
import { EmptyState, Loading, QueryView } from "../../ui/StatusViews";
import { FilterBar, type FilterField } from "./FilterBar";
import { HistoryTabs } from "./HistoryTabs";
import { type ListView, paramsOfView, type ViewProblem, type ViewSpec, viewOf } from "./listParams";

/** One page of a connection, as far as the list page reads it. */
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: unknown[] };

/**
 * One history (receipts, inferences, payments): how its view lives in the URL, what it asks the API, its filters,
 * its table and its export. `ListPage` does the rest the same way for all of them.
 */
export type HistoryList<V extends ListView, A, D> = {
  title: string;
  /** The plural noun of the count ("25 receipts") and of the empty state. */
  noun: string;
  /** `data-testid` of the count. */
  countTestId: string;
  view: ViewSpec<V>;
  /** The query's arguments, and what of the view could not be read. */
  argsOf: (view: V) => NoInfer<A> & { problems: ViewProblem<V>[] };
  useList: (args: A) => UseQueryResult<D, Error>;
  pageOf: (data: NoInfer<D>) => Page;
  filters: readonly FilterField<V>[];
  /** What Clear keeps of the view (e.g. order and page size); the rest goes back to the defaults. */
  kept: readonly (keyof V & string)[];
  /** The streamed export of the same query, when the API offers one. */
  exportOf?: (args: NoInfer<A>) => { entity: "receipts" | "payments"; params: URLSearchParams };
  /** Controls beside the page size (e.g. the order). */
  controls?: (view: V, go: (next: V) => void) => ReactNode;
  table: (data: NoInfer<D>, view: V, go: (next: V) => void) => ReactNode;
};

/** A history list, its types read from its parts. */
export const historyList = <V extends ListView, A, D>(list: HistoryList<V, A, D>) => list;

/** Cursors of the pages before this one, kept in history state: the API pages forward only (`first`/`after`). */
type PageTrail = { previous?: string[] };

/** A history's page: tabs, filters, count, export, the table and forward/back paging, its view all in the URL. */
export function ListPage<V extends ListView, A, D>({ list }: { list: HistoryList<V, A, D> }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const trail = ((location.state as PageTrail | null)?.previous ?? []) as string[];
  const view = useMemo(() => viewOf(list.view, params), [list, params]);
  const { args, problems } = useMemo(() => {
    const { problems, ...args } = list.argsOf(view);
    return { args: args as A, problems };
  }, [list, view]);
  const query = list.useList(args);
  const page = query.data ? list.pageOf(query.data) : undefined;
  const exported = list.exportOf?.(args);

  const go = (next: V, previous: string[] = []) =>
    navigate({ search: `?${paramsOfView(list.view, next).toString()}` }, { state: { previous } satisfies PageTrail });

  return (
    <>
      <h1>{list.title}</h1>
      <HistoryTabs />
      <FilterBar
        view={view}
        fields={list.filters}
        problems={problems}
        onApply={(next) => go(next)}
        onClear={() => go({ ...list.view.defaults, ...Object.fromEntries(list.kept.map((key) => [key, view[key]])) })}
      />
      <section className="card" aria-label={list.noun[0]!.toUpperCase() + list.noun.slice(1)}>
        <div className="toolbar" style={{ marginTop: 0 }}>
          <strong data-testid={list.countTestId}>
            {page ? `${formatCount(page.totalCount)} ${list.noun}` : "\u00a0"}
          </strong>
          {query.isFetching && query.data ? <span className="muted">updating…</span> : null}
          <span className="spacer" />
          {list.controls?.(view, (next) => go({ ...next, after: "" }))}
          <label className="muted">
            Rows{" "}
            <select
              value={view.size}
              onChange={(event) => go({ ...view, size: Number(event.target.value), after: "" })}
            >
              {list.view.pageSizes.map((size) => (
                <option key={size}>{size}</option>
              ))}
            </select>
          </label>
          {exported ? (
            <>
              <a
                className="button"
                href={exportUrlOf("csv", exported.params, exported.entity)}
                download
                data-testid="export-csv"
              >
                Export CSV
              </a>
              <a className="button" href={exportUrlOf("jsonl", exported.params, exported.entity)} download>
                JSONL
              </a>
            </>
          ) : null}
        </div>
        <QueryView
          query={query}
          loading={<Loading label={`Loading the ${list.noun}`} lines={10} />}
          isEmpty={(data) => list.pageOf(data).edges.length === 0}
          empty={<EmptyState title={`No ${list.noun} match`}>Loosen the filters, or clear them.</EmptyState>}
        >
          {(data) => list.table(data, view, (next) => go({ ...next, after: "" }))}
        </QueryView>
        <nav className="toolbar" aria-label="Pages">
          <button type="button" disabled={!view.after} onClick={() => go({ ...view, after: "" })}>
            ⇤ First
          </button>
          <button
            type="button"
            disabled={!view.after}
            onClick={() => go({ ...view, after: trail.at(-1) ?? "" }, trail.slice(0, -1))}
          >
            ← Previous
          </button>
          <span className="muted">Page {trail.length + (view.after ? 2 : 1)}</span>
          <button
            type="button"
            disabled={!page?.pageInfo.hasNextPage || query.isPlaceholderData}
            onClick={() => {
              const end = page?.pageInfo.endCursor;
              if (end) go({ ...view, after: end }, view.after ? [...trail, view.after] : trail);
            }}
          >
            Next →
          </button>
        </nav>
      </section>
    </>
  );
}
