import { Link } from "react-router";
import { EmptyState, Loading, QueryView } from "../../ui/StatusViews";
import { useLatestInferences } from "./hooks";
import { InferenceTable } from "./InferenceTable";

/** The home page's list of the newest inferences, refreshed every few seconds. */
export function LatestInferences() {
  const latest = useLatestInferences(10);
  return (
    <section className="card" aria-labelledby="latest-inferences-title">
      <div className="toolbar" style={{ marginTop: 0 }}>
        <h2 id="latest-inferences-title" style={{ margin: 0 }}>
          Latest inferences
        </h2>
        <span className="spacer" />
        <Link to="/inferences">All inferences →</Link>
      </div>
      <QueryView
        query={latest}
        loading={<Loading label="Loading the latest inferences" lines={6} />}
        isEmpty={(data) => data.inferences.nodes.length === 0}
        empty={<EmptyState title="No inferences yet">No settlement carrying an inference is indexed yet.</EmptyState>}
      >
        {(data) => <InferenceTable rows={data.inferences.nodes} testId="latest-inferences" />}
      </QueryView>
    </section>
  );
}
