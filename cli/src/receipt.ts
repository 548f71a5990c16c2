// `settlescan verify <file>` when the file holds a signed x402 receipt (x402's offer-receipt extension) rather than a
// gateway response: its signature, its payment on the payment chain, and its signer beside the payment's payTo.
import {
  formatX402ReceiptReport,
  InvalidInputError,
  type NetworkProfile,
  PROFILE_ENV,
  parseSignedReceipt,
  VerifySourceError,
  verifyX402Receipt,
  type X402ReceiptReport,
} from "@settlescan/abis";

/** Where the command writes (as `settlescan verify`'s `CommandIo`). */
type ReceiptIo = { stdout: (text: string) => void; stderr: (text: string) => void };

/** Exit statuses, as `settlescan verify`'s: 0 verified, 1 not (signature, payment or signer), 2 bad input or source. */
export const RECEIPT_EXIT = { verified: 0, failed: 1, error: 2 } as const;

/** Keys that only an x402 settlement response, its extensions or a signed receipt carry (never a gateway body). */
const RECEIPT_KEYS = ["format", "receipt", "info", "extensions", "offer-receipt"];

/**
 * True when a file holds an x402 receipt, or what carries one (a SettleResponse, its PAYMENT-RESPONSE header value,
 * an extensions object), rather than a TEE gateway response (JSON body or SSE stream).
 * @example isReceiptInput(await readFile("payment-response.txt", "utf8")) // true
 */
export function isReceiptInput(text: string): boolean {
  try {
    parseSignedReceipt(text);
    return true;
  } catch {
    // Not a receipt as it stands: it may still be meant as one (then its own error is the useful one).
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("data:")) return false;
  let value: unknown;
  try {
    value = JSON.parse(trimmed.startsWith("{") ? trimmed : Buffer.from(trimmed, "base64").toString("utf8"));
  } catch {
    return false;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if ("choices" in value || "tee_signature" in value) return false;
  return RECEIPT_KEYS.some((key) => key in value) || ("success" in value && "transaction" in value);
}

/**
 * Verifies the receipt in `text` (read from `file`) against the profile's payment chain (or `rpcUrl`), prints the
 * report (`json`: as JSON) and returns the exit status.
 * @example process.exitCode = await runReceiptVerify({ text, file: "receipt.json", profile, json: false, io })
 */
export async function runReceiptVerify({
  text,
  file,
  profile,
  rpcUrl,
  json,
  io,
}: {
  text: string;
  file: string;
  profile: NetworkProfile;
  /** The payment chain RPC (`--base-rpc`); default the profile's. */
  rpcUrl?: string;
  json: boolean;
  io: ReceiptIo;
}): Promise<number> {
  const fail = (kind: string, message: string) => {
    if (json) io.stdout(JSON.stringify({ error: { kind, message } }, null, 2));
    io.stderr(message);
    return RECEIPT_EXIT.error;
  };
  const baseRpc = rpcUrl ?? profile.payment.rpcUrl;
  let report: X402ReceiptReport;
  try {
    report = await verifyX402Receipt({ receipt: text, profile, rpcUrl: baseRpc, name: file });
  } catch (error) {
    if (error instanceof InvalidInputError)
      return fail("UsageError", `${file}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`);
    if (error instanceof VerifySourceError) return fail(error.name, error.message);
    throw error;
  }
  if (baseRpc === undefined && report.payload.transaction)
    return fail(
      "UsageError",
      `The ${profile.name} profile has no RPC URL for the payment chain (${profile.payment.chainId}) to find the receipt's transaction: pass --base-rpc <url> or set ${PROFILE_ENV.payment.rpcUrl}.`,
    );
  io.stdout(json ? JSON.stringify(report, null, 2) : formatX402ReceiptReport(report));
  return report.state === "verified" ? RECEIPT_EXIT.verified : RECEIPT_EXIT.failed;
}
