import { useEffect } from "react";
import { Link, useNavigate } from "react-router";
import { formatAmount, formatDateTime, LEAF_ENCODING_LABELS } from "../../lib/format";
import { ReceiptStateBadge, SettledLeafStateBadge } from "../../ui/Badge";
import { Hash } from "../../ui/Hash";
import { EmptyState, ErrorState, Loading, NotFoundState } from "../../ui/StatusViews";
import { useSearch } from "./hooks";
import { pathOfHit, redirectOf, shapeOfQuery } from "./searchTarget";

/** The hits of a query; hits that all lead to one page redirect there, replacing the search in history. */
export function SearchResults({ query }: { query: string }) {
  const navigate = useNavigate();
  const shape = shapeOfQuery(query);
  const search = useSearch(shape.query, shape.kind !== "invalid");
  const redirect = search.data ? redirectOf(search.data.search) : null;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect, navigate]);

  if (shape.kind === "invalid") return <EmptyState title="Nothing to search for">{shape.message}</EmptyState>;
  if (search.isPending || redirect) return <Loading label="Searching" lines={3} />;
  if (search.isError) return <ErrorState error={search.error} retry={() => void search.refetch()} />;
  const hits = search.data.search;
  if (hits.length === 0)
    return (
      <NotFoundState title="Nothing found">
        {shape.kind === "response" ? (
          <p>No indexed settlement carries the inference of this response.</p>
        ) : (
          <p>
            <span className="mono">{shape.query}</span> is not an inference, receipt, payment, transaction, hash,
            address or blob Settlescan has indexed.
          </p>
        )}
        <p>
          An inference whose proof has not landed yet is <strong>not settled yet</strong>, and a batch whose blob is
          still pending does not show its inferences until the blob is fetched. A private settlement posts nothing.
        </p>
      </NotFoundState>
    );
  return (
    <ul className="card" style={{ listStyle: "none", paddingLeft: "1rem" }} data-testid="search-hits">
      {hits.map((hit) => {
        const path = pathOfHit(hit);
        return (
          <li key={`${hit.kind}:${hit.key}`} style={{ padding: "0.4rem 0" }}>
            {path ? <Link to={path}>{hit.label}</Link> : <span>{hit.label}</span>}
            {hit.receipts.length > 1 ? (
              <ul>
                {hit.receipts.map((r) => (
                  <li key={r.id}>
                    <Hash value={r.id} short to={`/receipt/${r.id}`} /> <ReceiptStateBadge state={r.state} />{" "}
                    {formatAmount(r.amount)} · settled {formatDateTime(r.settledAt)}
                  </li>
                ))}
              </ul>
            ) : null}
            {!path && hit.leaves.length > 0 ? (
              <ul>
                {hit.leaves.map((leaf) => (
                  <li key={leaf.id}>
                    {leaf.inferenceId ? (
                      <Hash value={leaf.inferenceId} short to={`/inference/${leaf.inferenceId}`} />
                    ) : (
                      <span>{LEAF_ENCODING_LABELS[leaf.encoding]} leaf</span>
                    )}{" "}
                    <SettledLeafStateBadge state={leaf.state} /> in settlement{" "}
                    <Hash value={leaf.settlement.txHash} short to={`/tx/${leaf.settlement.txHash}`} />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
