/** A client config asks for something the simulator cannot write (a positional column, an unmapped value). */
export class SimulatorConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulatorConfigError';
  }
}
