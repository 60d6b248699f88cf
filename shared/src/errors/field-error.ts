/**
 * Input that a part below HTTP (a store, a codec) refuses, naming the field. It knows no status codes:
 * the HTTP error handler answers it as the contract's 400 (`invalid_input`).
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'FieldError';
  }
}
