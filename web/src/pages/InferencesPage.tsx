import { useMemo } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { HistoryTabs } from "../features/history/HistoryTabs";
import { useInferenceHistory } from "../features/inference/hooks";
import { InferenceFilters } from "../features/inference/InferenceFilters";
import { InferenceTable } from "../features/inference/InferenceTable";
import {
  INFERENCE_PAGE_SIZES,
  type InferenceView,
  inferencesArgsOf,
  inferenceViewOf,
  paramsOfInferenceView,
} from "../features/inference/inferenceParams";
import { formatCount } from "../lib/format";
import { EmptyState, Loading, QueryView } from "../ui/StatusViews";

/** Cursors of the pages before this one, kept in history state: the API pages forward only (`first`/`after`). */
type PageTrail = { previous?: string[] };

/** Every indexed inference, by state, payment link and enclave, newest counting settlement first. */
export function InferencesPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const trail = ((location.state as PageTrail | null)?.previous ?? []) as string[];
  const view = useMemo(() => inferenceViewOf(params), [params]);
  const { problems, ...args } = useMemo(() => inferencesArgsOf(view), [view]);
  const history = useInferenceHistory(args);

  const go = (next: InferenceView, previous: string[] = []) =>
    navigate({ search: `?${paramsOfInferenceView(next).toString()}` }, { state: { previous } satisfies PageTrail });

  return (
    <>
      <h1>Inference history</h1>
      <HistoryTabs />
      <InferenceFilters view={view} problems={problems} onApply={(next) => go(next)} />
      <section className="card" aria-label="Inferences">
        <div className="toolbar" style={{ marginTop: 0 }}>
          <strong data-testid="inference-count">
            {history.data ? `${formatCount(history.data.inferences.totalCount)} inferences` : "\u00a0"}
          </strong>
          {history.isFetching && history.data ? <span className="muted">updating…</span> : null}
          <span className="spacer" />
          <label className="muted">
            Order{" "}
            <select
              value={view.direction}
              onChange={(event) =>
                go({ ...view, direction: event.target.value as InferenceView["direction"], after: "" })
              }
            >
              <option value="DESC">newest first</option>
              <option value="ASC">oldest first</option>
            </select>
          </label>
          <label className="muted">
            Rows{" "}
            <select
              value={view.size}
              onChange={(event) => go({ ...view, size: Number(event.target.value), after: "" })}
            >
              {INFERENCE_PAGE_SIZES.map((size) => (
                <option key={size}>{size}</option>
              ))}
            </select>
          </label>
        </div>
        <QueryView
          query={history}
          loading={<Loading label="Loading the inferences" lines={10} />}
          isEmpty={(data) => data.inferences.edges.length === 0}
          empty={<EmptyState title="No inferences match">Loosen the filters, or clear them.</EmptyState>}
        >
          {(data) => <InferenceTable rows={data.inferences.edges.map((e) => e.node)} testId="inferences" />}
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
            disabled={!history.data?.inferences.pageInfo.hasNextPage || history.isPlaceholderData}
            onClick={() => {
              const end = history.data?.inferences.pageInfo.endCursor;
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
