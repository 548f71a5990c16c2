// Routes with parameters: each reads the URL and hands plain values to its page; nothing else happens here.
import { useParams, useSearchParams } from "react-router";
import { AddressPage } from "../pages/AddressPage";
import { BatchPage } from "../pages/BatchPage";
import { InferencePage } from "../pages/InferencePage";
import { PaymentPage } from "../pages/PaymentPage";
import { ReceiptPage } from "../pages/ReceiptPage";
import { SearchPage } from "../pages/SearchPage";
import { TransactionPage } from "../pages/TransactionPage";

/** Ids in URLs are hex: lowercased so `0xAB…` and `0xab…` share a cache entry and a page. */
const param = (value: string | undefined) => (value ?? "").trim().toLowerCase();

export function ReceiptRoute() {
  const { id } = useParams();
  return <ReceiptPage key={param(id)} id={param(id)} />;
}

export function InferenceRoute() {
  const { id } = useParams();
  return <InferencePage key={param(id)} id={param(id)} />;
}

export function PaymentRoute() {
  const { id } = useParams();
  return <PaymentPage id={param(id)} />;
}

export function TransactionRoute() {
  const { hash } = useParams();
  return <TransactionPage hash={param(hash)} />;
}

export function AddressRoute() {
  const { address } = useParams();
  const [params] = useSearchParams();
  return <AddressPage address={param(address)} role={params.get("role")} />;
}

export function BatchRoute() {
  const { root } = useParams();
  return <BatchPage root={param(root)} />;
}

export function SearchRoute() {
  const [params] = useSearchParams();
  return <SearchPage query={params.get("q") ?? ""} />;
}
