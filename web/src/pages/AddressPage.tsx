import { ADDRESS_ROLES, AddressDetail, type AddressRole, isUnknownAddress } from "../features/address/AddressDetail";
import { useAddress } from "../features/address/hooks";
import { Hash } from "../ui/Hash";
import { Loading, NotFoundState, QueryView } from "../ui/StatusViews";

/** The first role the address has, when the URL names none. */
const defaultRoleOf = (counts: Record<AddressRole, number>): AddressRole =>
  ADDRESS_ROLES.find((role) => counts[role] > 0) ?? "payer";

export function AddressPage({ address, role }: { address: string; role: string | null }) {
  const query = useAddress(address);
  return (
    <QueryView
      query={query}
      loading={<Loading label="Loading the address" lines={8} />}
      isMissing={isUnknownAddress}
      missing={
        <NotFoundState title="Address not seen">
          <Hash value={address} /> has not paid, been paid, submitted a payment or posted a settlement.
        </NotFoundState>
      }
    >
      {(data) => {
        const current = (ADDRESS_ROLES as readonly string[]).includes(role ?? "")
          ? (role as AddressRole)
          : defaultRoleOf({
              payer: data.asPayer.totalCount,
              payee: data.asPayee.totalCount,
              facilitator: data.asFacilitator.totalCount + data.settlements.totalCount,
            });
        return <AddressDetail address={address} role={current} data={data} />;
      }}
    </QueryView>
  );
}
