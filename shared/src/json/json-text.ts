const encoded = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)` (undefined for undefined), remembered for an object or array: a push's SCIM
 * bodies are encoded for the wire, for the log's size cap and for the log entry, and each of those
 * encodes the same object once. A body is never changed once made (scrubbing and redaction copy what
 * they change), which is what makes the remembered text stay right.
 */
export function jsonText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = encoded.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    encoded.set(value, text);
  }
  return text;
}
