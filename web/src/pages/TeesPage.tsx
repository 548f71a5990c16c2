import { useTees } from "../features/tee/hooks";
import { TeeTable } from "../features/tee/TeeTable";
import { EmptyState, Loading, QueryView } from "../ui/StatusViews";

export function TeesPage() {
  const tees = useTees();
  return (
    <section className="card" aria-labelledby="tees-title">
      <h1 id="tees-title">Registered enclaves</h1>
      <p className="muted">
        Each enclave is named by the keccak256 of its DER public key; your browser recomputes that hash from the key the
        TeeRegistry holds.
      </p>
      <QueryView
        query={tees}
        loading={<Loading label="Loading enclaves" lines={5} />}
        isEmpty={(data) => data.tees.length === 0}
        empty={<EmptyState title="No enclave registered">The TeeRegistry has no enclave yet.</EmptyState>}
      >
        {(data) => <TeeTable tees={data.tees} />}
      </QueryView>
    </section>
  );
}
