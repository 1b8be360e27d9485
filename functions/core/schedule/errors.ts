export class KpiPeriodMismatchError extends Error {
  constructor(expected: string, actual: string) {
    super(`the KPI document is for ${actual}, the report is for ${expected}`);
    this.name = 'KpiPeriodMismatchError';
  }
}
