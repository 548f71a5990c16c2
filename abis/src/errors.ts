/** Base error of @settlescan/abis: a short message, the bad value in `details`, and the underlying `cause`. */
export class BaseError extends Error {
  override name = "BaseError";
  readonly details?: string;

  constructor(message: string, options: { cause?: unknown; details?: string } = {}) {
    super(message, { cause: options.cause });
    this.details = options.details;
  }
}

/** A value that is not of the shape an identifier or leaf field must have. Retrying will not help. */
export class InvalidInputError extends BaseError {
  override name = "InvalidInputError";
}

/** A network profile, or the environment completing it, names a wrong or missing chain, contract or service. */
export class ProfileError extends BaseError {
  override name = "ProfileError";
}

/**
 * A Walrus aggregator did not deliver a blob: unreachable, too slow, or answering 5xx / 429 after every retry
 * (`retryable`: trying later may help), or refusing the request with another status (`retryable: false`).
 */
export class BlobFetchError extends BaseError {
  override name = "BlobFetchError";
  /** The URL requested. */
  readonly url: string;
  /** The HTTP status of the last answer; undefined when none came (network error, timeout). */
  readonly httpStatus?: number;
  /** Requests made, retries included. */
  readonly attempts: number;
  readonly retryable: boolean;

  constructor(
    message: string,
    options: {
      url: string;
      httpStatus?: number;
      attempts: number;
      retryable: boolean;
      cause?: unknown;
      details?: string;
    },
  ) {
    super(message, options);
    this.url = options.url;
    this.httpStatus = options.httpStatus;
    this.attempts = options.attempts;
    this.retryable = options.retryable;
  }
}

/** A Walrus publisher did not store a blob (unreachable, refused, or answered without a blob id). */
export class BlobUploadError extends BlobFetchError {
  override name = "BlobUploadError";
}

/** A Walrus blob whose content is not the shape its settlement's format requires. Fetching it again will not help. */
export class BlobFormatError extends BaseError {
  override name = "BlobFormatError";
}
