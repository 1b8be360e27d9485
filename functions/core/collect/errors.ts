/** Why a scheduled pull failed. `retryable` tells the retry loop whether another attempt can help. */
export class CollectError extends Error {
  /** the server's Retry-After, when it sent one */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'CollectError';
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The export endpoint refused the credentials (401/403): retrying with the same secret cannot help. */
export class CollectAuthError extends CollectError {
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, false, status, options);
    this.name = 'CollectAuthError';
  }
}

/** The endpoint answered 200 with no bytes: storing an empty file would hide a missing day. */
export class EmptyExportError extends CollectError {
  constructor(message: string) {
    super(message, false, 200);
    this.name = 'EmptyExportError';
  }
}

/** The collector secret is not one of the two accepted shapes. */
export class CredentialsFormatError extends CollectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, false, undefined, options);
    this.name = 'CredentialsFormatError';
  }
}
