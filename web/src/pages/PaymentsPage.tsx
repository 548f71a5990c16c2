import { ListPage } from "../features/history/ListPage";
import { PAYMENT_LIST } from "../features/payment/paymentList";

/** Every indexed payment, by state, token, scheme and parties, amounts in each token's units, with their export. */
export function PaymentsPage() {
  return <ListPage list={PAYMENT_LIST} />;
}
