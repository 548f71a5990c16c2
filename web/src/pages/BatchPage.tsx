import { useBatch } from "../features/settlement/hooks";
import { SettlementDetail } from "../features/settlement/SettlementDetail";
import { Hash } from "../ui/Hash";
import { Loading, NotFoundState, QueryView } from "../ui/StatusViews";

export function BatchPage({ root }: { root: string }) {
  const batch = useBatch(root);
  return (
    <QueryView
      query={batch}
      loading={<Loading label="Loading the batch" lines={10} />}
      isMissing={(data) => data.settlement == null}
      missing={
        <NotFoundState title="Batch not found">
          No batch settlement with Merkle root <Hash value={root} /> is indexed.
        </NotFoundState>
      }
    >
      {(data) => <SettlementDetail settlement={data.settlement!} />}
    </QueryView>
  );
}
