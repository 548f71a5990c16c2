import type { InferenceRowFragment } from "../../graphql/generated/graphql";
import { formatDateTime } from "../../lib/format";
import { InferenceStateBadge, LinkKindBadge, OfficialBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";

/** Inferences, one row each: state, enclave, payment link, the counting settlement and how often it was settled. */
export function InferenceTable({ rows, testId }: { rows: readonly InferenceRowFragment[]; testId: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>Inference</th>
            <th>State</th>
            <th>Enclave</th>
            <th>Link</th>
            <th>Settled by</th>
            <th>Settled</th>
            <th className="num">Settlements</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr key={i.id}>
              <td>
                <Hash value={i.id} short to={`/inference/${i.id}`} />
              </td>
              <td>
                <InferenceStateBadge state={i.state} />
              </td>
              <td>
                <Hash value={i.teeId} short to={`/tees#${i.teeId}`} />
              </td>
              <td>
                <LinkKindBadge kind={i.link.kind} />
              </td>
              <td>
                {i.settlement.kind} · <AddressLink address={i.settlement.signer} relation="facilitator" />{" "}
                {i.settlement.official ? null : <OfficialBadge official={false} />}
              </td>
              <td>{formatDateTime(i.settledAt)}</td>
              <td className="num">{i.settlementCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
