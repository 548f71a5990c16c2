import { useMemo } from "react";
import type {
  FacilitatorsQuery,
  InferenceStatsQuery,
  PaymentStatsQuery,
  StatsQuery,
  TopPayeesQuery,
} from "../../graphql/generated/graphql";
import { formatAmount, formatCount, formatDuration, shortHex } from "../../lib/format";
import { EChart } from "./EChart";
import {
  BLOB_SERIES,
  INFERENCE_STATE_SERIES,
  inferenceSeriesOf,
  inferenceTotalsOf,
  paymentSeriesOf,
  SCHEME_SERIES,
  STATE_SERIES,
  seriesOf,
  topGroupsOf,
  totalsOf,
  usdcOf,
} from "./statsSeries";

/** State colours as in the badges: green verified, reds for failures, amber duplicates. */
const STATE_COLORS = {
  verified: "#2da44e",
  unpaid: "#cf222e",
  underpaid: "#e16f24",
  invalidProof: "#8250df",
  duplicate: "#bf8700",
  unofficial: "#8c959f",
};
/** Inference states as in the badges: green proven, red invalid, grey unofficial (shown, never counted). */
const INFERENCE_COLORS = { proven: "#2da44e", invalidProof: "#cf222e", unofficial: "#8c959f" };
/** Blob statuses that need attention: grey pending (not a failure), red mismatched, amber expired. */
const BLOB_COLORS = { pending: "#8c959f", mismatched: "#cf222e", expired: "#e16f24" };
/** Schemes: blue for EIP-3009 (USDC), purple and green for x402's Permit2 proxies. */
const SCHEME_COLORS = { eip3009: "#6d9bff", permit2_exact: "#8250df", permit2_upto: "#2da44e" };
/** How many facilitators and payees the "top" charts show. */
const TOP_N = 8;

const axisLabelOf = (interval: string) => (iso: string) =>
  interval === "HOUR" ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);

/** The dashboard's charts over one range; every number also appears as a figure or in a tooltip. */
export function DashboardCharts({
  stats,
  inferenceStats,
  interval,
  payees,
  facilitators,
  paymentStats,
}: {
  stats: StatsQuery["stats"];
  inferenceStats: InferenceStatsQuery["inferenceStats"];
  /** Payments by token and scheme; their charts are left out until it loads. */
  paymentStats: PaymentStatsQuery["paymentStats"] | undefined;
  interval: string;
  payees: TopPayeesQuery["stats"] | undefined;
  facilitators: FacilitatorsQuery["facilitators"] | undefined;
}) {
  const series = useMemo(() => seriesOf(stats), [stats]);
  const inferenceSeries = useMemo(() => inferenceSeriesOf(inferenceStats), [inferenceStats]);
  const inferenceTotals = useMemo(() => inferenceTotalsOf(inferenceStats), [inferenceStats]);
  const totals = useMemo(() => totalsOf(stats), [stats]);
  const payments = useMemo(() => paymentSeriesOf(paymentStats ?? []), [paymentStats]);
  const x = useMemo(() => ({ type: "category", data: series.starts.map(axisLabelOf(interval)) }), [series, interval]);
  const options = useMemo(() => {
    const topPayees = topGroupsOf(payees ?? [], TOP_N).reverse();
    // USDC only: volumes of different tokens are not comparable (each token has its own chart above).
    const usdcVolumeOf = (f: NonNullable<typeof facilitators>[number]) =>
      f.paymentVolumes.find((v) => v.asset.symbol === "USDC")?.volume ?? "0";
    const topFacilitators = [...(facilitators ?? [])]
      .sort((a, b) => (BigInt(usdcVolumeOf(b)) > BigInt(usdcVolumeOf(a)) ? 1 : -1))
      .slice(0, TOP_N)
      .reverse();
    const inferenceX = { type: "category", data: inferenceSeries.starts.map(axisLabelOf(interval)) };
    const paymentX = { type: "category", data: payments.starts.map(axisLabelOf(interval)) };
    return {
      inferences: {
        xAxis: inferenceX,
        yAxis: { type: "value", minInterval: 1 },
        series: INFERENCE_STATE_SERIES.map(([key, name]) => ({
          type: "bar",
          stack: "state",
          name,
          data: inferenceSeries.byState[key],
          itemStyle: { color: INFERENCE_COLORS[key] },
        })),
      },
      blobs: {
        xAxis: inferenceX,
        yAxis: { type: "value", minInterval: 1 },
        series: [
          ...BLOB_SERIES.map(([key, name]) => ({
            type: "bar",
            stack: "blob",
            name: `${name} blobs`,
            data: inferenceSeries.blobs[key],
            itemStyle: { color: BLOB_COLORS[key] },
          })),
          {
            type: "line",
            name: "Unofficial posts",
            data: inferenceSeries.unofficialSettlements,
            itemStyle: { color: "#8250df" },
          },
        ],
      },
      receipts: {
        xAxis: x,
        yAxis: { type: "value" },
        series: STATE_SERIES.map(([key, name]) => ({
          type: "bar",
          stack: "state",
          name,
          data: series.byState[key],
          itemStyle: { color: STATE_COLORS[key] },
        })),
      },
      volume: {
        xAxis: x,
        yAxis: { type: "value" },
        series: [
          { type: "bar", name: "Volume", data: series.volume, itemStyle: { color: "#6d9bff" } },
          { type: "line", name: "Verified volume", data: series.verifiedVolume, itemStyle: { color: "#2da44e" } },
        ],
      },
      latency: {
        xAxis: x,
        yAxis: { type: "value", axisLabel: { formatter: formatDuration } },
        series: [
          { type: "line", name: "p50", data: series.latencyP50, connectNulls: true, itemStyle: { color: "#2da44e" } },
          { type: "line", name: "p95", data: series.latencyP95, connectNulls: true, itemStyle: { color: "#e16f24" } },
        ],
      },
      backlog: {
        xAxis: x,
        yAxis: { type: "value", minInterval: 1 },
        series: [
          {
            type: "line",
            name: "Overdue backlog",
            data: series.overdueBacklog,
            areaStyle: {},
            itemStyle: { color: "#cf222e" },
          },
        ],
      },
      facilitators: {
        grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: topFacilitators.map((f) => shortHex(f.address)) },
        series: [
          { type: "bar", name: "Payment volume", data: topFacilitators.map((f) => usdcOf(usdcVolumeOf(f))) },
          { type: "bar", name: "Verified volume", data: topFacilitators.map((f) => usdcOf(f.verifiedVolume)) },
        ],
      },
      payees: {
        grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: topPayees.map((p) => shortHex(p.group)) },
        series: [{ type: "bar", name: "Volume", data: topPayees.map((p) => usdcOf(p.volume.toString())) }],
      },
      paymentVolume: {
        xAxis: paymentX,
        // One axis per token would not scale past two tokens; the tooltip names each token's units.
        yAxis: { type: "value" },
        series: payments.byToken.map((t) => ({ type: "line", name: t.name, data: t.volume })),
      },
      schemes: {
        xAxis: paymentX,
        yAxis: { type: "value", minInterval: 1 },
        series: SCHEME_SERIES.map(([key, name]) => ({
          type: "bar",
          stack: "scheme",
          name,
          data: payments.byScheme[key],
          itemStyle: { color: SCHEME_COLORS[key] },
        })),
      },
      counts: { facilitators: topFacilitators.length, payees: topPayees.length },
    };
  }, [series, inferenceSeries, payments, x, interval, payees, facilitators]);
  const lastP95 = series.latencyP95.findLast((v) => v != null) ?? null;

  return (
    <>
      <section aria-label="Totals over the range" className="figures" data-testid="range-totals">
        <div className="figure">
          <div className="value">{formatCount(inferenceTotals.inferences)}</div>
          <div className="label">inferences settled · {formatCount(inferenceTotals.proven)} proven</div>
        </div>
        <div className="figure">
          <div className="value">{formatCount(inferenceTotals.unofficialSettlements)}</div>
          <div className="label">unofficial posts of {formatCount(inferenceTotals.settlements)} settlements</div>
        </div>
        <div className="figure">
          <div className="value">{formatCount(totals.receipts)}</div>
          <div className="label">receipts settled</div>
        </div>
        <div className="figure">
          <div className="value">{formatCount(totals.verified)}</div>
          <div className="label">verified</div>
        </div>
        <div className="figure">
          <div className="value">{formatAmount(totals.volume)}</div>
          <div className="label">volume</div>
        </div>
        <div className="figure">
          <div className="value">{formatDuration(lastP95)}</div>
          <div className="label">latest p95 latency</div>
        </div>
        <div className="figure">
          <div className="value">{formatCount(totals.backlog)}</div>
          <div className="label">overdue backlog</div>
        </div>
      </section>
      <div className="grid">
        <section className="card">
          <h2>Inferences by state</h2>
          <EChart
            option={options.inferences}
            label="Inferences per bucket of their counting settlement, stacked by state"
            points={inferenceStats.length}
          />
        </section>
        <section className="card">
          <h2>Blobs not available · unofficial posts</h2>
          <EChart
            option={options.blobs}
            label="Batches per bucket whose blob is pending, mismatched or expired, and settlements by unknown signers"
            points={inferenceStats.length}
          />
        </section>
        <section className="card">
          <h2>Receipts by state</h2>
          <EChart option={options.receipts} label="Receipts per bucket, stacked by state" points={stats.length} />
        </section>
        <section className="card">
          <h2>Volume (USDC)</h2>
          <EChart option={options.volume} label="Volume per bucket in USDC" points={stats.length} />
        </section>
        <section className="card">
          <h2>Settlement latency (payment → proof)</h2>
          <EChart
            option={options.latency}
            label="p50 and p95 settlement latency per bucket"
            points={series.latencyP50.filter((v) => v != null).length}
          />
        </section>
        <section className="card">
          <h2>Overdue backlog (payments)</h2>
          <EChart
            option={options.backlog}
            label="Payments overdue at the end of each bucket"
            points={series.overdueBacklog.filter((v) => v != null).length}
          />
        </section>
        {paymentStats ? (
          <>
            <section className="card" data-testid="payments-by-token">
              <h2>Payment volume by token (each in its own units)</h2>
              <EChart
                option={options.paymentVolume}
                label={`Payment volume per bucket, one series per token: ${payments.byToken.map((t) => t.name).join(", ") || "none"}`}
                points={payments.byToken.length ? paymentStats.length : 0}
              />
            </section>
            <section className="card" data-testid="payments-by-scheme">
              <h2>Payments by scheme</h2>
              <EChart
                option={options.schemes}
                label="Payments per bucket, stacked by scheme (EIP-3009, Permit2 exact, Permit2 upto)"
                points={paymentStats.length}
              />
            </section>
          </>
        ) : null}
        <section className="card">
          <h2>Top facilitators (USDC)</h2>
          <EChart
            option={options.facilitators}
            label="Facilitators by payment volume"
            points={options.counts.facilitators}
          />
        </section>
        <section className="card">
          <h2>Top payees (USDC)</h2>
          <EChart
            option={options.payees}
            label="Payees by receipt volume over the range"
            points={options.counts.payees}
          />
        </section>
      </div>
    </>
  );
}
