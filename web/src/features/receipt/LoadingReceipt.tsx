import { Loading } from "../../ui/StatusViews";

/** The trail's skeleton: four steps of a few lines. */
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
