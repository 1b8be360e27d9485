export class InvalidPeriodError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPeriodError';
  }
}

export class SqlNotFoundError extends Error {
  constructor(readonly sqlName: string, options?: { cause?: unknown }) {
    super(`SQL "${sqlName}" is not in the catalog`, options);
    this.name = 'SqlNotFoundError';
  }
}

export class NoContractError extends Error {
  constructor(readonly clientId: string, options?: { cause?: unknown }) {
    super(`client "${clientId}" has no contract version`, options);
    this.name = 'NoContractError';
  }
}
