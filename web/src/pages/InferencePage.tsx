import { Link } from "react-router";
import { useInference } from "../features/inference/hooks";
import { InferenceTrail } from "../features/inference/InferenceTrail";
import { LoadingReceipt } from "../features/receipt/LoadingReceipt";
import { SearchBox } from "../features/search/SearchBox";
import { Hash } from "../ui/Hash";
import { NotFoundState, QueryView } from "../ui/StatusViews";

export function InferencePage({ id }: { id: string }) {
  const inference = useInference(id);
  return (
    <QueryView
      query={inference}
      loading={<LoadingReceipt />}
      isMissing={(data) => data.inference == null}
      missing={
        <NotFoundState title="Not settled yet">
          <p>
            No indexed settlement carries inference <Hash value={id} />. It may not be settled yet, its batch's blob may
            still be pending (its leaves are not known until it is fetched), or it was settled privately, which posts
            nothing.
          </p>
          <p>Paste the whole response body, or search by its input or output hash:</p>
          <div style={{ maxWidth: 640, margin: "0 auto" }}>
            <SearchBox />
          </div>
          <p>
            <Link to="/">Back to the start</Link>
          </p>
        </NotFoundState>
      }
    >
      {(data) => <InferenceTrail inference={data.inference!} />}
    </QueryView>
  );
}
