import type { InferenceRowFragment } from "../../graphql/generated/graphql";
import { formatDateTime } from "../../lib/format";
import { InferenceStateBadge, LinkKindBadge, OfficialBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { type Column, ListTable } from "../history/ListTable";

const COLUMNS: readonly Column<InferenceRowFragment>[] = [
  { label: "Inference", cell: (i) => <Hash value={i.id} short to={`/inference/${i.id}`} /> },
  { label: "State", cell: (i) => <InferenceStateBadge state={i.state} /> },
  { label: "Enclave", cell: (i) => <Hash value={i.teeId} short to={`/tees#${i.teeId}`} /> },
  { label: "Link", cell: (i) => <LinkKindBadge kind={i.link.kind} /> },
  {
    label: "Settled by",
    cell: (i) => (
      <>
        {i.settlement.kind} · <AddressLink address={i.settlement.signer} relation="facilitator" />{" "}
        {i.settlement.official ? null : <OfficialBadge official={false} />}
      </>
    ),
  },
  { label: "Settled", cell: (i) => formatDateTime(i.settledAt) },
  { label: "Settlements", numeric: true, cell: (i) => i.settlementCount },
];

/** Inferences, one row each: state, enclave, payment link, the counting settlement and how often it was settled. */
export const InferenceTable = ({ rows, testId }: { rows: readonly InferenceRowFragment[]; testId: string }) => (
  <ListTable testId={testId} columns={COLUMNS} rows={rows} />
);
