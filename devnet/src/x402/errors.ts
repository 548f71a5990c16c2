import { BaseError, InvalidInputError } from "@settlescan/abis";

/** A `/settle_data` or inference request body that is not of the documented shape. Retrying will not help. */
export class InvalidRequestError extends InvalidInputError {
  override name = "InvalidRequestError";
}

/** A settlement transaction to the SettlementRelay could not be sent or reverted; the RPC may recover. */
export class RelayPostError extends BaseError {
  override name = "RelayPostError";
}

/** A paid request did not come back as a paid, settled response. */
export class PaidRequestError extends BaseError {
  override name = "PaidRequestError";
}

/** A facilitator refused or failed a `/settle_data` request. */
export class SettleDataError extends BaseError {
  override name = "SettleDataError";
}
