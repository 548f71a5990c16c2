import { usePayment } from "../features/payment/hooks";
import { PaymentDetail } from "../features/payment/PaymentDetail";
import { Hash } from "../ui/Hash";
import { Loading, NotFoundState, QueryView } from "../ui/StatusViews";

export function PaymentPage({ id }: { id: string }) {
  const payment = usePayment(id);
  return (
    <QueryView
      query={payment}
      loading={<Loading label="Loading the payment" lines={8} />}
      isMissing={(data) => data.payment == null}
      missing={
        <NotFoundState title="Payment not found">
          No payment with id <Hash value={id} /> is indexed on Base.
        </NotFoundState>
      }
    >
      {(data) => <PaymentDetail payment={data.payment!} />}
    </QueryView>
  );
}
