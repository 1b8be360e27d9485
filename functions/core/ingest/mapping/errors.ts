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
