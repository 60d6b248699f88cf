import { relativeTime } from './relative-time.ts';

/** "3 min. ago", with the exact local time on hover (and to screen readers, via dateTime). */
export function RelativeTime({ at }: { at: string }) {
  const exact = new Date(at).toLocaleString();
  return (
    <time dateTime={at} title={exact}>
      {relativeTime(at, Date.now())}
    </time>
  );
}
