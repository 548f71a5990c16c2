import { useTransaction } from "../features/payment/hooks";
import { PaymentDetail } from "../features/payment/PaymentDetail";
import { SettlementDetail } from "../features/settlement/SettlementDetail";
import { Hash } from "../ui/Hash";
import { Loading, NotFoundState, QueryView } from "../ui/StatusViews";

/** A transaction on either chain: the payment it carried on Base, or the settlement on the verification chain. */
export function TransactionPage({ hash }: { hash: string }) {
  const tx = useTransaction(hash);
  return (
    <QueryView
      query={tx}
      loading={<Loading label="Loading the transaction" lines={8} />}
      isMissing={(data) => data.payment == null && data.settlement == null}
      missing={
        <NotFoundState title="Transaction not found">
          <Hash value={hash} /> carried no payment or settlement that Settlescan has indexed.
        </NotFoundState>
      }
    >
      {(data) => (
        <>
          {data.payment ? <PaymentDetail payment={data.payment} /> : null}
          {data.settlement ? <SettlementDetail settlement={data.settlement} /> : null}
        </>
      )}
    </QueryView>
  );
}
