import { BaseError, InvalidInputError } from "../errors";

/** What a verification reads that the user supplied: the gateway's response, or the request it answered. */
export type VerifyInput = "response" | "request";

/** The response or request handed to `verifyResponse` is not what a TEE gateway sends. Retrying will not help. */
export class VerifyInputError extends InvalidInputError {
  override name = "VerifyInputError";
  /** Which input is wrong. */
  readonly input: VerifyInput;

  constructor(input: VerifyInput, message: string, options: { cause?: unknown; details?: string } = {}) {
    super(message, options);
    this.input = input;
  }
}

/**
 * A source a verification reads (the verification chain's RPC, the Walrus aggregator) gave no usable answer:
 * unreachable, too slow, failing, or another chain than the profile's. Names the URL; trying later, or another
 * source, may help.
 */
export class VerifySourceError extends BaseError {
  override name = "VerifySourceError";
  /** The URL that failed. */
  readonly url: string;

  constructor(message: string, options: { url: string; cause?: unknown; details?: string }) {
    super(message, options);
    this.url = options.url;
  }
}
