/**
 * Every error lightsnap throws on purpose is a LightsnapError with a stable `code`, so callers
 * (and the CLI's exit codes) can branch on the kind of failure without parsing messages.
 */
export class LightsnapError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LightsnapError';
    this.code = code;
  }
}

/** A caller passed an argument of the wrong type or outside its stated limits. */
export class InvalidArgument extends LightsnapError {
  constructor(message: string) {
    super('InvalidArgument', message);
    this.name = 'InvalidArgument';
  }
}

/** The WASM core could not be loaded and no fallback was allowed. */
export class CoreUnavailable extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CoreUnavailable', message, options);
    this.name = 'CoreUnavailable';
  }
}
