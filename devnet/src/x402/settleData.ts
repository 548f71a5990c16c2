import { isBytes32 } from "@settlescan/abis";
import { type Address, bytesToHex, getAddress, type Hex, isAddress } from "viem";
import { InvalidRequestError, SettleDataError } from "./errors";

/** How a proof is settled, as OpenGradient's facilitator names it: not at all, in a Merkle batch, or on its own. */
export type SettlementType = "private" | "batch" | "individual";

export const SETTLEMENT_TYPES = ["private", "batch", "individual"] as const satisfies readonly SettlementType[];

/** Request headers of `POST /settle_data` (the body is `{}`): OpenGradient's two, then the devnet's own. */
export const SETTLEMENT_TYPE_HEADER = "x-settlement-type";
export const SETTLEMENT_DATA_HEADER = "x-settlement-data";
/** Devnet extension: the x402 payment an exact-link facilitator cites (base64 of `{payment_id, amount}`). */
export const SETTLEMENT_PAYMENT_HEADER = "x-settlement-payment";
/** Devnet extension: a facilitator fault to inject for this proof (one of `FACILITATOR_FAULTS`). */
export const DEVNET_FAULT_HEADER = "x-devnet-fault";

/**
 * Faults the devnet facilitator injects on request, so every settlement and blob state can be produced live:
 * `unofficial` posts from a signer no profile lists; `mismatched` posts a root the uploaded dump does not rebuild;
 * `withheld` keeps the blob unfetchable (404) until the facilitator's release delay passed, `pending` for good;
 * `expired` expires the blob once posted (410); `duplicate` settles the proof again in a later settlement once the
 * first is mined; `legacy` posts through the v1 relay (`settle(inputHash, outputHash)` / `batchSettle(root, size)`).
 */
export type FacilitatorFault =
  | "unofficial"
  | "mismatched"
  | "withheld"
  | "pending"
  | "expired"
  | "duplicate"
  | "legacy";

export const FACILITATOR_FAULTS = [
  "unofficial",
  "mismatched",
  "withheld",
  "pending",
  "expired",
  "duplicate",
  "legacy",
] as const satisfies readonly FacilitatorFault[];

/** Faults that act on a batch's blob or root, so they have no meaning for an individual settlement. */
export const BATCH_ONLY_FAULTS: readonly FacilitatorFault[] = ["mismatched", "withheld", "pending", "expired"];

/** `x-settlement-data` of a batch item, as og-x402's middleware builds it (`_build_settlement_metadata`). */
export type BatchSettlementData = {
  tee_id: string;
  /** The response's `tee_request_hash` as sent (64 hex digits, usually without 0x). */
  input_hash: string;
  output_hash: string;
  /** Standard base64 of the RSA-PSS signature. */
  tee_signature: string;
  tee_timestamp: number;
  timestamp: number;
};

/** `x-settlement-data` of an individual settlement: the batch fields, the exchange itself and the payer. */
export type IndividualSettlementData = Omit<BatchSettlementData, "timestamp"> & {
  input: unknown;
  output: unknown;
  /** Seconds, as a decimal string (the middleware sends `str(tee_timestamp)` here). */
  timestamp: string;
  eth_address: string;
};

/** The x402 payment an exact-link proof cites: its Settlescan paymentId and the amount charged (base units). */
export type SettlementPayment = { paymentId: Hex; amount: bigint };

/** One proof, read from the settlement data the way the facilitator reads it. */
export type Proof = {
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  /** The signature's bytes (`Buffer.from(tee_signature, "base64")`, as the facilitator decodes it). */
  signature: Hex;
  /** The signature as the gateway sent it (base64). */
  teeSignature: string;
  timestamp: bigint;
};

/** What an individual settlement adds: the request and response JSON, and the address it settles for. */
export type IndividualProof = Proof & { input: unknown; output: unknown; ethAddress: Address };

/** A parsed `POST /settle_data`. */
export type SettleDataRequest =
  | { type: "private" }
  | { type: "batch"; proof: Proof; payment?: SettlementPayment; fault?: FacilitatorFault }
  | { type: "individual"; proof: IndividualProof; payment?: SettlementPayment; fault?: FacilitatorFault };

/** A settlement job as OpenGradient's facilitator reports it (`settlementJob`, and `GET /settle/{jobId}`). */
export type SettlementJob = {
  jobId: string;
  queue: string;
  status: "queued" | "processing" | "succeeded" | "failed";
  settlementType: Exclude<SettlementType, "private">;
  createdAt: string;
  updatedAt: string;
  /** The account the settlement transaction is sent from. */
  signerAddress: Address;
  /** Known once the settlement transaction is sent (at once for individual settlements, at the flush for batches). */
  txHash?: Hex;
  walrusBlobId?: string;
  error?: string;
};

/** Answer of `POST /settle_data` (HTTP 202): the job, or null with a note for private settlements. */
export type SettleDataResponse = { settlementJob: SettlementJob | null; notes?: string };

/**
 * Python's `json.dumps(value, separators=(",", ":"))`: compact JSON with non-ASCII escaped as `\uXXXX` (lowercase
 * hex, surrogate pairs as two escapes), the bytes og-x402 base64-encodes into `x-settlement-data`.
 */
export function compactPythonJsonOf(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Base64 of compact JSON: how settlement data and payments travel in headers. */
export function encodeHeaderJson(value: unknown): string {
  return Buffer.from(compactPythonJsonOf(value), "utf8").toString("base64");
}

function decodeHeaderJson(header: string, name: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(header, "base64").toString("utf8"));
  } catch (cause) {
    throw new InvalidRequestError(`Header ${name} "${excerpt(header)}" is not base64 of JSON.`, { cause });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new InvalidRequestError(
      `Header ${name} decodes to ${excerpt(JSON.stringify(json))}; expected a JSON object.`,
    );
  return json as Record<string, unknown>;
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/** The first of `names` present in `record` (the facilitator accepts each field under several spellings). */
function fieldOf(record: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (record[name] !== undefined && record[name] !== null) return record[name];
  return undefined;
}

/** A bytes32 as the facilitator's `toStrictBytes32` takes it: 64 hex digits, 0x added when missing. */
function bytes32Of(value: unknown, field: string): Hex {
  const text = typeof value === "string" ? (value.startsWith("0x") ? value : `0x${value}`) : value;
  if (!isBytes32(text))
    throw new InvalidRequestError(
      `Settlement data field "${field}" is "${String(value)}"; expected 64 hex digits (with or without 0x).`,
    );
  return text.toLowerCase() as Hex;
}

/** A uint256 as the facilitator's `parseUint256Field` takes it: a non-negative integer, decimal or 0x string. */
function uintOf(value: unknown, field: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^(?:[0-9]+|0x[0-9a-fA-F]+)$/.test(value.trim())) return BigInt(value.trim());
  throw new InvalidRequestError(
    `Settlement data field "${field}" is ${JSON.stringify(value) ?? "missing"}; expected a non-negative integer.`,
  );
}

/** The settlement type a header names, with the facilitator's tolerance of case, spaces and two typos. */
export function settlementTypeOf(header: string): SettlementType {
  const normalized = header.replace(/[\s_-]+/g, "").toLowerCase();
  if (normalized === "private" || normalized === "pivate") return "private";
  if (normalized === "batch") return "batch";
  if (normalized === "individual" || normalized === "inidvidual") return "individual";
  throw new InvalidRequestError(`Settlement type "${header}" is not one of ${SETTLEMENT_TYPES.join(", ")}.`);
}

/** Reads a batch item's fields (`tee_id, input_hash, output_hash, tee_signature, tee_timestamp`). */
export function proofOf(data: Record<string, unknown>): Proof {
  const teeSignature = fieldOf(data, ["tee_signature", "teeSignature"]);
  if (typeof teeSignature !== "string" || teeSignature.length === 0)
    throw new InvalidRequestError(
      `Settlement data field "tee_signature" is ${JSON.stringify(teeSignature) ?? "missing"}; expected the base64 TEE signature.`,
    );
  return {
    teeId: bytes32Of(fieldOf(data, ["tee_id", "teeId"]), "tee_id"),
    inputHash: bytes32Of(fieldOf(data, ["input_hash", "inputHash"]), "input_hash"),
    outputHash: bytes32Of(fieldOf(data, ["output_hash", "outputHash"]), "output_hash"),
    // Node's lenient base64, as the facilitator's `base64ToBytesCalldata`: the placeholder "0x" becomes 0xd3.
    signature: bytesToHex(Buffer.from(teeSignature.trim(), "base64")),
    teeSignature,
    timestamp: uintOf(fieldOf(data, ["tee_timestamp", "timestamp"]), "tee_timestamp"),
  };
}

function individualProofOf(data: Record<string, unknown>): IndividualProof {
  const proof = proofOf(data);
  const ethAddress = fieldOf(data, ["eth_address", "ethAddress", "address"]);
  if (typeof ethAddress !== "string" || !isAddress(ethAddress, { strict: false }))
    throw new InvalidRequestError(
      `Settlement data field "eth_address" is ${JSON.stringify(ethAddress) ?? "missing"}; expected a 20-byte hex address.`,
    );
  for (const field of ["input", "output"] as const)
    if (!(field in data)) throw new InvalidRequestError(`Individual settlement data has no "${field}".`);
  return {
    ...proof,
    timestamp: uintOf(fieldOf(data, ["timestamp", "tee_timestamp"]), "timestamp"),
    input: data.input,
    output: data.output,
    ethAddress: getAddress(ethAddress),
  };
}

/** Reads `x-settlement-payment`: base64 of `{payment_id, amount}`. */
export function settlementPaymentOf(header: string): SettlementPayment {
  const json = decodeHeaderJson(header, SETTLEMENT_PAYMENT_HEADER);
  const paymentId = fieldOf(json, ["payment_id", "paymentId"]);
  if (!isBytes32(paymentId))
    throw new InvalidRequestError(
      `Settlement payment field "payment_id" is ${JSON.stringify(paymentId) ?? "missing"}; expected a 32-byte hex string.`,
    );
  return { paymentId: paymentId.toLowerCase() as Hex, amount: uintOf(json.amount, "amount") };
}

/** The value of `x-settlement-payment` for a payment. */
export function settlementPaymentHeaderOf({ paymentId, amount }: SettlementPayment): string {
  return encodeHeaderJson({ payment_id: paymentId, amount: amount.toString() });
}

/**
 * Parses the headers of a `POST /settle_data` the way OpenGradient's facilitator does (`x-settlement-type`, then
 * `x-settlement-data` as base64 JSON), plus the devnet's `x-settlement-payment` and `x-devnet-fault`. Throws
 * `InvalidRequestError` quoting the bad value.
 * @example settleDataRequestOf((name) => c.req.header(name))
 */
export function settleDataRequestOf(header: (name: string) => string | undefined): SettleDataRequest {
  const typeHeader = header(SETTLEMENT_TYPE_HEADER)?.trim();
  if (!typeHeader) throw new InvalidRequestError(`Missing ${SETTLEMENT_TYPE_HEADER} header.`);
  const type = settlementTypeOf(typeHeader);
  if (type === "private") return { type };

  const dataHeader = header(SETTLEMENT_DATA_HEADER)?.trim();
  if (!dataHeader)
    throw new InvalidRequestError(`Missing ${SETTLEMENT_DATA_HEADER} header for settlement type "${type}".`);
  const data = decodeHeaderJson(dataHeader, SETTLEMENT_DATA_HEADER);

  const faultHeader = header(DEVNET_FAULT_HEADER)?.trim();
  if (faultHeader !== undefined && !FACILITATOR_FAULTS.includes(faultHeader as FacilitatorFault))
    throw new InvalidRequestError(
      `Fault "${faultHeader}" is not one of ${FACILITATOR_FAULTS.join(", ")}; omit ${DEVNET_FAULT_HEADER} for an honest settlement.`,
    );
  const fault = faultHeader as FacilitatorFault | undefined;
  if (type === "individual" && fault && BATCH_ONLY_FAULTS.includes(fault))
    throw new InvalidRequestError(`Fault "${fault}" acts on a batch's blob or root; it needs settlement type "batch".`);

  const paymentHeader = header(SETTLEMENT_PAYMENT_HEADER)?.trim();
  const extras = {
    ...(paymentHeader ? { payment: settlementPaymentOf(paymentHeader) } : {}),
    ...(fault ? { fault } : {}),
  };
  return type === "batch"
    ? { type, proof: proofOf(data), ...extras }
    : { type, proof: individualProofOf(data), ...extras };
}

/** What a gateway hands to `postSettleData`. */
export type SettleDataPost = {
  type: SettlementType;
  /** Omitted for private settlements, as og-x402 does. */
  data?: BatchSettlementData | IndividualSettlementData;
  payment?: SettlementPayment;
  fault?: FacilitatorFault;
};

/** The headers of a `POST /settle_data` carrying `post`. */
export function settleDataHeadersOf({ type, data, payment, fault }: SettleDataPost): Record<string, string> {
  return {
    "Content-Type": "application/json",
    [SETTLEMENT_TYPE_HEADER]: type,
    ...(data ? { [SETTLEMENT_DATA_HEADER]: encodeHeaderJson(data) } : {}),
    ...(payment ? { [SETTLEMENT_PAYMENT_HEADER]: settlementPaymentHeaderOf(payment) } : {}),
    ...(fault ? { [DEVNET_FAULT_HEADER]: fault } : {}),
  };
}

/**
 * Sends one proof to a facilitator's `POST /settle_data` (body `{}`, everything in headers) and returns its answer;
 * a non-2xx answer throws `SettleDataError` with the facilitator's message.
 * @example await postSettleData(facilitatorUrl, { type: "batch", data })
 */
export async function postSettleData(facilitatorUrl: string, post: SettleDataPost): Promise<SettleDataResponse> {
  const response = await fetch(`${facilitatorUrl}/settle_data`, {
    method: "POST",
    headers: settleDataHeadersOf(post),
    body: "{}",
  });
  const text = await response.text();
  if (!response.ok)
    throw new SettleDataError(`Facilitator ${facilitatorUrl}/settle_data answered ${response.status}: ${text}`);
  return JSON.parse(text) as SettleDataResponse;
}

/**
 * A settlement job's state from `GET /settle/{jobId}`; throws `SettleDataError` for an unknown job.
 * @example await settlementJobOf(facilitatorUrl, response.settlementJob.jobId)
 */
export async function settlementJobOf(facilitatorUrl: string, jobId: string): Promise<SettlementJob> {
  const response = await fetch(`${facilitatorUrl}/settle/${encodeURIComponent(jobId)}`);
  const text = await response.text();
  if (!response.ok)
    throw new SettleDataError(`Facilitator ${facilitatorUrl}/settle/${jobId} answered ${response.status}: ${text}`);
  return JSON.parse(text) as SettlementJob;
}
