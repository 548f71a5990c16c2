import { Link } from "react-router";
import { formatCount } from "../../lib/format";
import { Badge } from "../../ui/Badge";
import { Hash } from "../../ui/Hash";
import { ErrorState, Loading } from "../../ui/StatusViews";
import { useProtocolHealth } from "./hooks";

/**
 * The protocol's state now, whatever the range: inferences by state, batches whose blob is not available (pending is
 * not a failure: the indexer asks again), unofficial posts, and each relay's pending blobs.
 */
export function ProtocolHealth() {
  const health = useProtocolHealth();
  if (health.isPending) return <Loading label="Loading the protocol's state" lines={3} />;
  if (health.isError) return <ErrorState error={health.error} retry={() => void health.refetch()} />;
  const d = health.data;
  const figures = [
    ["proven", "inferences proven", d.proven.totalCount, "/inferences?state=proven"],
    ["invalid", "inferences with an invalid proof", d.invalidProof.totalCount, "/inferences?state=invalid_proof"],
    ["unofficial", "inferences only unofficial posts carry", d.unofficial.totalCount, "/inferences?state=unofficial"],
    ["pending", "batches whose blob is pending", d.pendingBlobs.totalCount, null],
    ["mismatched", "batches whose blob is mismatched", d.mismatchedBlobs.totalCount, null],
    ["expired", "batches whose blob expired", d.expiredBlobs.totalCount, null],
    ["unofficial-posts", "unofficial settlement posts", d.unofficialPosts.totalCount, null],
  ] as const;
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">Inferences and blobs now</h2>
      <div className="figures" data-testid="protocol-health">
        {figures.map(([key, label, value, to]) => (
          <div key={key} className="figure" data-figure={key}>
            <div className="value">{formatCount(value)}</div>
            <div className="label">{to ? <Link to={to}>{label}</Link> : label}</div>
          </div>
        ))}
      </div>
      {d._meta.relays.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="relays">
            <thead>
              <tr>
                <th>Relay</th>
                <th>ABI</th>
                <th className="num">Settlements</th>
                <th className="num">Unofficial</th>
                <th className="num">Pending blobs</th>
              </tr>
            </thead>
            <tbody>
              {d._meta.relays.map((relay) => (
                <tr key={relay.address}>
                  <td>
                    <Hash value={relay.address} short copy />
                  </td>
                  <td>
                    <Badge tone="na">{relay.abi}</Badge>
                  </td>
                  <td className="num">{formatCount(relay.settlements)}</td>
                  <td className="num">{formatCount(relay.unofficialSettlements)}</td>
                  <td className="num">{formatCount(relay.pendingBlobs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
