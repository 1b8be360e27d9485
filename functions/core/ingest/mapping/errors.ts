/** The mapping itself cannot work (a wrong constant, a map to a value the field cannot hold): a config error. */
export class MappingConfigError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    reason: string,
  ) {
    super(`source ${source}, field ${field}: ${reason}`);
    this.name = 'MappingConfigError';
  }
}

/** A date/time format of a mapping that is not a format (tokens: YYYY YY MM M DD D HH H mm ss SSS). */
export class InvalidFormatError extends Error {
  constructor(readonly format: string, reason: string) {
    super(`format "${format}": ${reason}`);
    this.name = 'InvalidFormatError';
  }
}
