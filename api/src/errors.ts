import { GraphQLError } from "graphql";

/** What a client can do about an error: `BAD_*` codes are the request's fault and a retry will not fix them. */
export type ErrorCode =
  | "BAD_RECEIPT_ID"
  | "BAD_PAYMENT_ID"
  | "BAD_TX_HASH"
  | "BAD_MERKLE_ROOT"
  | "BAD_TEE_ID"
  | "BAD_INFERENCE_ID"
  | "BAD_BLOB_ID"
  | "BAD_ADDRESS"
  | "BAD_AMOUNT"
  | "BAD_CURSOR"
  | "BAD_PAGE_SIZE"
  | "BAD_TIME_RANGE"
  | "BAD_SEARCH_QUERY"
  | "BAD_ARGUMENTS"
  | "SYNTAX_ERROR"
  | "BAD_REQUEST"
  | "DEPTH_LIMIT"
  | "TOKEN_LIMIT"
  | "ALIAS_LIMIT"
  | "DATABASE_UNAVAILABLE"
  | "RATE_LIMITED";

/**
 * The API's one base error: a short sentence, a machine-readable `extensions.code`, optional `details` and `cause`.
 * It is a GraphQLError, so yoga shows it as is even when internal errors are masked.
 */
export class BaseError extends GraphQLError {
  override name = "BaseError";
  readonly code: ErrorCode;
  constructor(
    message: string,
    {
      code,
      details,
      cause,
      retryable = false,
      status,
    }: { code: ErrorCode; details?: string; cause?: unknown; retryable?: boolean; status?: number },
  ) {
    // The cause is kept off `originalError`: yoga masks any error whose original is not a GraphQLError.
    // `http` sets the response's status; yoga strips it from the body.
    super(message, {
      extensions: {
        code,
        ...(retryable ? { retryable } : {}),
        ...(details ? { details } : {}),
        ...(status ? { http: { status } } : {}),
      },
    });
    this.code = code;
    if (cause !== undefined) Object.defineProperty(this, "cause", { value: cause, enumerable: false });
  }
}

/** The request asked for something malformed; retrying it unchanged gives the same answer. */
export class BadInputError extends BaseError {
  override name = "BadInputError";
}

/** The database did not answer; a retry may succeed. The response is HTTP 503, so proxies and clients see it too. */
export class DatabaseUnavailableError extends BaseError {
  override name = "DatabaseUnavailableError";
  constructor(cause: unknown) {
    super("The database is unavailable; retry shortly.", {
      code: "DATABASE_UNAVAILABLE",
      cause,
      retryable: true,
      status: 503,
    });
  }
}
