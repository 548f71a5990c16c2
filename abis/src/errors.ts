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
