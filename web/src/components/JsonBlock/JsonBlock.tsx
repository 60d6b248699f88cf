const pretty = (value: unknown): string => {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? String(value);
};

/** A request or response body, pretty-printed as text (bodies come from the target: never markup). */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre className="json-block" data-label={label}>
      {pretty(value)}
    </pre>
  );
}
