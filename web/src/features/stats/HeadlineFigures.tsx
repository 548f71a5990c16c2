import { formatCount, formatDuration } from "../../lib/format";
import { ErrorState, Loading } from "../../ui/StatusViews";
import { useHeadline } from "./hooks";

/** Totals for the home page: inferences, receipts, verified, failed, payments waiting for a proof and overdue. */
export function HeadlineFigures() {
  const headline = useHeadline();
  if (headline.isPending) return <Loading label="Loading figures" lines={2} />;
  if (headline.isError) return <ErrorState error={headline.error} retry={() => void headline.refetch()} />;
  const { inferences, provenInferences, all, verified, failed, awaiting, overdue, _meta } = headline.data;
  const figures = [
    ["Inferences", inferences.totalCount, "inferences"],
    ["Proven", provenInferences.totalCount, "proven"],
    ["Receipts", all.totalCount, "receipts"],
    ["Verified receipts", verified.totalCount, "verified"],
    ["Failed a check", failed.totalCount, "failed"],
    ["Paid, proof pending", awaiting.totalCount, "awaiting"],
    [`Overdue (> ${formatDuration(_meta.settlementWindowSeconds)})`, overdue.totalCount, "overdue"],
  ] as const;
  return (
    <section aria-label="Headline figures" className="figures" data-testid="headline">
      {figures.map(([label, value, key]) => (
        <div key={key} className="figure" data-figure={key}>
          <div className="value">{formatCount(value)}</div>
          <div className="label">{label}</div>
        </div>
      ))}
    </section>
  );
}
