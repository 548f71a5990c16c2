/** Base error of the devnet: a short message, `details` on what to do, and the `cause`. */
export class DevnetError extends Error {
  override name = "DevnetError";
  readonly details?: string;

  constructor(message: string, options: { cause?: unknown; details?: string } = {}) {
    super(options.details ? `${message}\n${options.details}` : message, { cause: options.cause });
    this.details = options.details;
  }
}
