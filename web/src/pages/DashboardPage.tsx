import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { DashboardCharts } from "../features/stats/DashboardCharts";
import {
  useFacilitators,
  useInferenceStats,
  useMeta,
  usePaymentStats,
  useStats,
  useTopPayees,
} from "../features/stats/hooks";
import { ProtocolHealth } from "../features/stats/ProtocolHealth";
import { DASHBOARD_RANGES, isDashboardRange, statsArgsOf } from "../features/stats/statsSeries";
import { formatDateTime } from "../lib/format";
import { EmptyState, ErrorState, Loading } from "../ui/StatusViews";

/** Loaded on demand (its route is lazy), so the chart library never weighs on the first page. */
export function DashboardPage() {
  const [params] = useSearchParams();
  const range = isDashboardRange(params.get("range")) ? (params.get("range") as keyof typeof DASHBOARD_RANGES) : "24h";
  const meta = useMeta();
  const now = meta.data?._meta.now;
  // The range ends at chain time, so a devnet whose clock differs from the reader's still shows its data.
  const args = useMemo(
    () => (meta.data ? statsArgsOf(range, now ? new Date(now) : new Date()) : null),
    [meta.data, now, range],
  );
  const stats = useStats(args);
  const inferenceStats = useInferenceStats(args);
  const payees = useTopPayees(args);
  const paymentStats = usePaymentStats(args);
  const facilitators = useFacilitators();

  return (
    <>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>Dashboard</h1>
        <span className="spacer" />
        <nav className="tabs" aria-label="Range" style={{ margin: 0, border: 0 }}>
          {Object.keys(DASHBOARD_RANGES).map((r) => (
            <Link
              key={r}
              to={`?range=${r}`}
              className={r === range ? "active" : ""}
              aria-current={r === range ? "page" : undefined}
            >
              {r}
            </Link>
          ))}
        </nav>
      </div>
      {args ? (
        <p className="muted">
          {formatDateTime(args.from)} → {formatDateTime(args.to)}, per {args.interval.toLowerCase()} (chain time)
        </p>
      ) : null}
      <ProtocolHealth />
      {meta.isError ? (
        <ErrorState error={meta.error} retry={() => void meta.refetch()} />
      ) : stats.isError ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : inferenceStats.isError ? (
        <ErrorState error={inferenceStats.error} retry={() => void inferenceStats.refetch()} />
      ) : !stats.data || !inferenceStats.data ? (
        <Loading label="Loading the dashboard" lines={12} />
      ) : stats.data.stats.every((b) => b.receipts === 0 && !b.overdueBacklog) &&
        inferenceStats.data.inferenceStats.every((b) => b.inferences === 0 && b.settlements === 0) &&
        (paymentStats.data?.paymentStats.every((b) => b.rows.length === 0) ?? true) ? (
        <EmptyState title="Nothing settled in this range">Pick a longer range, or wait for traffic.</EmptyState>
      ) : (
        <DashboardCharts
          stats={stats.data.stats}
          inferenceStats={inferenceStats.data.inferenceStats}
          interval={args?.interval ?? "HOUR"}
          payees={payees.data?.stats}
          facilitators={facilitators.data?.facilitators}
          paymentStats={paymentStats.data?.paymentStats}
        />
      )}
    </>
  );
}
