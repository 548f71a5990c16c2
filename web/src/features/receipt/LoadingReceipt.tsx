import { Loading } from "../../ui/StatusViews";

/** A trail's skeleton (receipt or inference): four steps of a few lines. */
export function LoadingReceipt() {
  return (
    <div>
      {["payment", "receipt", "settlement", "checks"].map((step) => (
        <div key={step} className="card">
          <Loading label={`Loading the ${step}`} lines={3} />
        </div>
      ))}
    </div>
  );
}
