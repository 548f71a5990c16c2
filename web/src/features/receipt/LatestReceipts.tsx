import { Link } from "react-router";
import { formatAmount, formatDateTime, formatDuration } from "../../lib/format";
import { ReceiptStateBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { EmptyState, Loading, QueryView } from "../../ui/StatusViews";
import { useLatestReceipts } from "./hooks";

/** The home page's live feed of the newest receipts. */
export function LatestReceipts() {
  const { query: latest, live } = useLatestReceipts(10);
  return (
    <section className="card" aria-labelledby="latest-title">
      <div className="toolbar" style={{ marginTop: 0 }}>
        <h2 id="latest-title" style={{ margin: 0 }}>
          Latest receipts
        </h2>
        <span
          className={`badge ${live === "live" ? "pass" : "na"}`}
          data-testid="feed-status"
          title={live === "live" ? "Receipts are pushed as the indexer writes them" : "Refreshed every few seconds"}
        >
          {live === "live" ? "live" : "polling"}
        </span>
        <span className="spacer" />
        <Link to="/history">Full history →</Link>
      </div>
      <QueryView
        query={latest}
        loading={<Loading label="Loading the latest receipts" lines={6} />}
        isEmpty={(data) => data.receipts.nodes.length === 0}
        empty={<EmptyState title="No receipts yet">No settlement has cited a payment yet.</EmptyState>}
      >
        {(data) => (
          <div className="table-wrap">
            <table data-testid="latest-receipts">
              <thead>
                <tr>
                  <th>Receipt</th>
                  <th>State</th>
                  <th className="num">Amount</th>
                  <th>Payer</th>
                  <th>Settled</th>
                  <th className="num">Latency</th>
                </tr>
              </thead>
              <tbody>
                {data.receipts.nodes.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Hash value={r.id} short to={`/receipt/${r.id}`} />
                    </td>
                    <td>
                      <ReceiptStateBadge state={r.state} />
                    </td>
                    <td className="num">{formatAmount(r.amount)}</td>
                    <td>
                      <AddressLink address={r.payer} relation="payer" />
                    </td>
                    <td>{formatDateTime(r.settledAt)}</td>
                    <td className="num">{formatDuration(r.latencySeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </section>
  );
}
