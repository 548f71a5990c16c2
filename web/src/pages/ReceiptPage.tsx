import { Link } from "react-router";
import { useReceipt } from "../features/receipt/hooks";
import { LoadingReceipt } from "../features/receipt/LoadingReceipt";
import { ReceiptTrail } from "../features/receipt/ReceiptTrail";
import { SearchBox } from "../features/search/SearchBox";
import { Hash } from "../ui/Hash";
import { NotFoundState, QueryView } from "../ui/StatusViews";

export function ReceiptPage({ id }: { id: string }) {
  const receipt = useReceipt(id);
  return (
    <QueryView
      query={receipt}
      loading={<LoadingReceipt />}
      isMissing={(data) => data.receipt == null}
      missing={
        <NotFoundState title="Not settled yet">
          <p>
            No settlement cites receipt <Hash value={id} /> yet. A receipt id is a hash of the payment and the
            inference, so it cannot be traced back to its payment until the proof lands.
          </p>
          <p>Search by the payment's transaction hash or payment id to see whether it was paid:</p>
          <div style={{ maxWidth: 640, margin: "0 auto" }}>
            <SearchBox />
          </div>
          <p>
            <Link to="/">Back to the start</Link>
          </p>
        </NotFoundState>
      }
    >
      {(data) => <ReceiptTrail receipt={data.receipt!} />}
    </QueryView>
  );
}
