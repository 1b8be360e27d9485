/** An argument of a staffing formula that the formula has no meaning for (a negative AHT, hour 24, a target of 1.5). */
export class InvalidStaffingInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
    this.name = 'InvalidStaffingInputError';
  }
}
