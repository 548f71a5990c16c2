import { ListPage } from "../features/history/ListPage";
import { RECEIPT_LIST } from "../features/history/receiptList";

/** Receipts by state, parties and amounts, with their export. */
export function HistoryPage() {
  return <ListPage list={RECEIPT_LIST} />;
}
