import { formatDateTime, shortHex } from "../../lib/format";

/** What the sentence reads of an inference's link (InferenceLink). */
export type LinkFacts = {
  kind: "exact" | "session" | "none";
  payer?: string | null;
  payee?: string | null;
  windowEnd?: string | null;
  payment?: { id: string } | null;
};

/**
 * How an inference is tied to its payment, and how sure that is, in one sentence (docs/protocol.md §4).
 * @example linkSentenceOf({ kind: "none" }, "2026-01-01T00:00:00Z") // "Nothing on chain names a payment or a payer …"
 */
export function linkSentenceOf(link: LinkFacts, timestamp: string): string {
  const payment = link.payment ? ` ${shortHex(link.payment.id)}` : "";
  if (link.kind === "exact")
    return `The settled leaf itself names the payment${payment}, so the tie is stated on chain.`;
  if (link.kind === "session")
    return `An individual settlement named ${link.payer ? shortHex(link.payer) : "the payer"}, whose earliest payment to the enclave's address ${link.payee ? shortHex(link.payee) : ""} settled between the response (${formatDateTime(timestamp)}) and the session's end (${formatDateTime(link.windowEnd)}); Settlescan inferred the tie from payer and time, nothing on chain states it.`;
  if (link.payer)
    return `An individual settlement named ${shortHex(link.payer)} as the payer, but no payment from it to ${link.payee ? shortHex(link.payee) : "the enclave"} settled between ${formatDateTime(timestamp)} and ${formatDateTime(link.windowEnd)}.`;
  return "Nothing on chain names a payment or a payer for this inference (batch or private settlement); if you paid for it, give the address you paid from below.";
}
