import { isBytes32, type Leaf } from "@settlescan/abis";
import { type Address, type Hex, isAddress, isHex } from "viem";
import { InvalidRequestError, SettleDataError } from "./errors";

/** How a proof is settled, as OpenGradient's facilitator names it: not at all, on its own, or in a Merkle batch. */
export type SettlementMode = "private" | "individual" | "batch";

export const SETTLEMENT_MODES = ["private", "individual", "batch"] as const satisfies readonly SettlementMode[];

/** Faults the devnet facilitator injects on request. `wrong_root`: the leaf's batch is posted with a corrupted root. */
export type FacilitatorFault = "wrong_root";

export const FACILITATOR_FAULTS = ["wrong_root"] as const satisfies readonly FacilitatorFault[];

/** A leaf on the wire: hex strings, and decimal strings for the two integers. */
export type LeafJson = {
  paymentId: Hex;
  amount: string;
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  signature: Hex;
  timestamp: string;
};

/** Body of `POST /settle_data`. */
export type SettleDataRequest = {
  mode: SettlementMode;
  leaf: Leaf;
  payer: Address;
  fault?: FacilitatorFault;
};

export type SettleDataRequestJson = Omit<SettleDataRequest, "leaf"> & { leaf: LeafJson };

/** Response of `POST /settle_data`: `transaction` is the relay tx hash for individual settlements. */
export type SettleDataResponse =
  | { mode: "private"; status: "skipped" }
  | { mode: "individual"; status: "posted"; transaction: Hex }
  | { mode: "batch"; status: "queued"; queued: number };

export function leafToJson(leaf: Leaf): LeafJson {
  return { ...leaf, amount: leaf.amount.toString(), timestamp: leaf.timestamp.toString() };
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function bytes32Field(value: unknown, field: string): Hex {
  if (!isBytes32(value))
    throw new InvalidRequestError(
      `Leaf field "${field}" is "${String(value)}", expected a 32-byte hex string (0x followed by 64 hex digits).`,
    );
  return value;
}

function uintField(value: unknown, field: string): bigint {
  if (typeof value === "string" && DECIMAL.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new InvalidRequestError(
    `Leaf field "${field}" is "${String(value)}", expected a non-negative integer as a decimal string.`,
  );
}

/** Parses a wire leaf; throws `InvalidRequestError` naming the first bad field. */
export function leafFromJson(json: unknown): Leaf {
  if (typeof json !== "object" || json === null)
    throw new InvalidRequestError(`Leaf "${String(json)}" is not an object; expected the seven leaf fields.`);
  const raw = json as Record<string, unknown>;
  const signature = raw.signature;
  if (typeof signature !== "string" || !isHex(signature, { strict: true }) || signature.length % 2 !== 0)
    throw new InvalidRequestError(
      `Leaf field "signature" is "${String(signature)}", expected 0x-prefixed hex bytes (an even number of digits).`,
    );
  return {
    paymentId: bytes32Field(raw.paymentId, "paymentId"),
    amount: uintField(raw.amount, "amount"),
    teeId: bytes32Field(raw.teeId, "teeId"),
    inputHash: bytes32Field(raw.inputHash, "inputHash"),
    outputHash: bytes32Field(raw.outputHash, "outputHash"),
    signature,
    timestamp: uintField(raw.timestamp, "timestamp"),
  };
}

/** Parses and checks a `POST /settle_data` body; throws `InvalidRequestError` quoting the bad value. */
export function settleDataRequestFromJson(json: unknown): SettleDataRequest {
  if (typeof json !== "object" || json === null)
    throw new InvalidRequestError(
      `Request body "${String(json)}" is not a JSON object; expected { mode, leaf, payer }.`,
    );
  const { mode, leaf, payer, fault } = json as Record<string, unknown>;
  if (!SETTLEMENT_MODES.includes(mode as SettlementMode))
    throw new InvalidRequestError(`Mode "${String(mode)}" is not one of ${SETTLEMENT_MODES.join(", ")}.`);
  if (typeof payer !== "string" || !isAddress(payer, { strict: false }))
    throw new InvalidRequestError(`Payer "${String(payer)}" is not a 20-byte hex address.`);
  if (fault !== undefined && !FACILITATOR_FAULTS.includes(fault as FacilitatorFault))
    throw new InvalidRequestError(
      `Fault "${String(fault)}" is not one of ${FACILITATOR_FAULTS.join(", ")}; omit it for an honest settlement.`,
    );
  if (fault === "wrong_root" && mode !== "batch")
    throw new InvalidRequestError(`Fault "wrong_root" needs mode "batch"; got mode "${String(mode)}".`);
  return {
    mode: mode as SettlementMode,
    leaf: leafFromJson(leaf),
    payer,
    ...(fault === undefined ? {} : { fault: fault as FacilitatorFault }),
  };
}

/**
 * Sends one proof to a facilitator's `POST /settle_data` and returns its answer; a non-2xx answer throws with the
 * facilitator's error message.
 * @example await postSettleData(facilitatorUrl, { mode: "batch", leaf: leafToJson(leaf), payer })
 */
export async function postSettleData(
  facilitatorUrl: string,
  request: SettleDataRequestJson,
): Promise<SettleDataResponse> {
  const response = await fetch(`${facilitatorUrl}/settle_data`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (!response.ok)
    throw new SettleDataError(`Facilitator ${facilitatorUrl}/settle_data answered ${response.status}: ${text}`);
  return JSON.parse(text) as SettleDataResponse;
}
