import { useMemo } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { HistoryFilters } from "../features/history/HistoryFilters";
import { HistoryTable } from "../features/history/HistoryTable";
import { HistoryTabs } from "../features/history/HistoryTabs";
import {
  exportParamsOf,
  HISTORY_PAGE_SIZES,
  type HistoryView,
  historyViewOf,
  paramsOfHistoryView,
  receiptsArgsOf,
} from "../features/history/historyParams";
import { useHistory } from "../features/history/hooks";
import { exportUrlOf } from "../graphql/config";
import { formatCount } from "../lib/format";
import { EmptyState, Loading, QueryView } from "../ui/StatusViews";

/** Cursors of the pages before this one, kept in history state: the API pages forward only (`first`/`after`). */
type PageTrail = { previous?: string[] };

export function HistoryPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const trail = ((location.state as PageTrail | null)?.previous ?? []) as string[];
  const view = useMemo(() => historyViewOf(params), [params]);
  const { problems, ...args } = useMemo(() => receiptsArgsOf(view), [view]);
  const history = useHistory(args);

  const go = (next: HistoryView, previous: string[] = []) =>
    navigate({ search: `?${paramsOfHistoryView(next).toString()}` }, { state: { previous } satisfies PageTrail });

  return (
    <>
      <h1>Settlement history</h1>
      <HistoryTabs />
      <HistoryFilters view={view} problems={problems} onApply={(next) => go(next)} />
      <section className="card" aria-label="Receipts">
        <div className="toolbar" style={{ marginTop: 0 }}>
          <strong data-testid="history-count">
            {history.data ? `${formatCount(history.data.receipts.totalCount)} receipts` : "\u00a0"}
          </strong>
          {history.isFetching && history.data ? <span className="muted">updating…</span> : null}
          <span className="spacer" />
          <label className="muted">
            Rows{" "}
            <select
              value={view.size}
              onChange={(event) => go({ ...view, size: Number(event.target.value), after: "" })}
            >
              {HISTORY_PAGE_SIZES.map((size) => (
                <option key={size}>{size}</option>
              ))}
            </select>
          </label>
          <a className="button" href={exportUrlOf("csv", exportParamsOf(args))} download data-testid="export-csv">
            Export CSV
          </a>
          <a className="button" href={exportUrlOf("jsonl", exportParamsOf(args))} download>
            JSONL
          </a>
        </div>
        <QueryView
          query={history}
          loading={<Loading label="Loading the history" lines={10} />}
          isEmpty={(data) => data.receipts.edges.length === 0}
          empty={<EmptyState title="No receipts match">Loosen the filters, or clear them.</EmptyState>}
        >
          {(data) => (
            <HistoryTable
              rows={data.receipts.edges}
              view={view}
              onSort={(sort, direction) => go({ ...view, sort, direction, after: "" })}
            />
          )}
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
            disabled={!history.data?.receipts.pageInfo.hasNextPage || history.isPlaceholderData}
            onClick={() => {
              const end = history.data?.receipts.pageInfo.endCursor;
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
