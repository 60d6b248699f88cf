const encoded = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)` (undefined for undefined), remembered for an object or array: a push's request
 * body is encoded for the wire and again for the log's size cap, the same object both times. A body is
 * never changed once made (scrubbing and redaction copy what they change), which is what makes the
 * remembered text stay right.
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
