/** A date given to the calendar is not a local date YYYY-MM-DD, or a range or hour makes no sense. */
export class CalendarInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CalendarInputError';
  }
}

/** A calendar version names a place whose public holidays are not known (a config that skipped the schema). */
export class UnknownHolidayRegionError extends Error {
  constructor(
    readonly clientId: string,
    readonly region: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      region === undefined
        ? `client "${clientId}": the calendar's country cannot be told from its phone_region or timezone; set calendar country`
        : `client "${clientId}": no public holidays are known for "${region}"`,
      options,
    );
    this.name = 'UnknownHolidayRegionError';
  }
}
