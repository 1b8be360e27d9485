/** A client config that validates but cannot be deployed as written; the message names the file. */
export class DeployConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'DeployConfigError';
  }
}
