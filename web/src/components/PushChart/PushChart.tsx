import type { MinuteBucket } from '../../hooks/use-push-history.ts';

const WIDTH = 600;
const HEIGHT = 120;

/** Pushes and failures per minute over the last hour, as stacked SVG bars. */
export function PushChart({ buckets }: { buckets: MinuteBucket[] }) {
  const max = Math.max(1, ...buckets.map((b) => b.pushes + b.failures));
  const barWidth = WIDTH / Math.max(1, buckets.length);
  const total = buckets.reduce((sum, b) => sum + b.pushes, 0);
  const failures = buckets.reduce((sum, b) => sum + b.failures, 0);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${total} pushes and ${failures} failures in the last hour`}
      >
        {buckets.map((b, i) => {
          const pushHeight = (b.pushes / max) * HEIGHT;
          const failHeight = (b.failures / max) * HEIGHT;
          return (
            <g key={b.minute}>
              <title>{`${new Date(b.minute).toLocaleTimeString()}: ${b.pushes} pushes, ${b.failures} failures`}</title>
              <rect
                x={i * barWidth}
                y={HEIGHT - pushHeight}
                width={barWidth - 1}
                height={pushHeight}
                className="bar-push"
              />
              <rect
                x={i * barWidth}
                y={HEIGHT - pushHeight - failHeight}
                width={barWidth - 1}
                height={failHeight}
                className="bar-fail"
              />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="legend legend-push">Pushes: {total}</span>
        <span className="legend legend-fail">Failures: {failures}</span>
        <span className="muted"> per minute, last hour</span>
      </figcaption>
    </figure>
  );
}
