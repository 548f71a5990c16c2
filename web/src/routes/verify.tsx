// Lazy: the verifier (chain reads, blob decoding, RSA) loads when /verify is first opened.
import { useLocation } from "react-router";
import { VerifyPage } from "../pages/VerifyPage";

export function Component() {
  // A response handed over by the search box travels in the history state, not the URL.
  const state = useLocation().state as { response?: unknown } | null;
  return <VerifyPage initialResponse={typeof state?.response === "string" ? state.response : undefined} />;
}
