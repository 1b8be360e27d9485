export class KpiPeriodMismatchError extends Error {
  constructor(expected: string, actual: string) {
    super(`the KPI document is for ${actual}, the report is for ${expected}`);
    this.name = 'KpiPeriodMismatchError';
  }
}

/** A report was asked for a period that has not ended yet in the client's time zone. */
export class PeriodNotEndedError extends Error {
  constructor(
    readonly kind: string,
    readonly start: string,
    readonly end: string,
    readonly endsAt: string,
    readonly zone: string,
  ) {
    super(`the ${kind} period ${start}…${end} has not ended yet in ${zone} (it ends at ${endsAt}); a report can only be sent for a period that is over`);
    this.name = 'PeriodNotEndedError';
  }
}

/** The report went out but the delivery log could not say so; the claim stays, so it is not sent twice. */
export class DeliveryLogError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryLogError';
  }
}
