/** Errors of the live page and the intraday alerts. */

/** A signed link that does not open the page: tampered, expired, for another client, or malformed. */
export class LinkRefusedError extends Error {
  constructor(readonly reason: 'malformed' | 'expired' | 'signature' | 'client', options?: { cause?: unknown }) {
    super(`live link refused: ${reason}`, options);
    this.name = 'LinkRefusedError';
  }
}

/** The intraday query returned what the page cannot read (a column missing or of another type). */
export class LiveDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LiveDataError';
  }
}

/** An alert could not be recorded or sent; the ingest that triggered it has succeeded all the same. */
export class AlertDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertDeliveryError';
  }
}
