/** Base error of the explorer's data layer: a short sentence, the bad value in `details`, and the `cause`. */
export class BaseError extends Error {
  override name = "BaseError";
  readonly details?: string;

  constructor(message: string, options: { cause?: unknown; details?: string } = {}) {
    super(message, { cause: options.cause });
    this.details = options.details;
  }
}

/** The API did not answer, or answered something that is not GraphQL (down, restarting, proxy error). A retry may help. */
export class ApiDownError extends BaseError {
  override name = "ApiDownError";
}

/**
 * The API answered with GraphQL errors: the request is at fault (a malformed id, a bad range), or the API
 * said so itself with `extensions.retryable` (its database is unavailable).
 */
export class ApiRequestError extends BaseError {
  override name = "ApiRequestError";
  readonly code: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: { code?: string; retryable?: boolean; cause?: unknown; details?: string }) {
    super(message, options);
    this.code = options.code;
    this.retryable = options.retryable ?? false;
  }
}

/** True for errors a retry can fix: the API being down, or an error the API marks retryable. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiDownError || (error instanceof ApiRequestError && error.retryable);
}
