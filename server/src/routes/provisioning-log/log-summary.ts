import { z } from 'zod';
import type { ProvisioningLog } from '../../../../shared/src/store/provisioning-log/provisioning-log.ts';
import { countOutcomes, groupPushes } from '../../../../shared/src/types/log-pushes.ts';
import type { LogFilter } from '../../../../shared/src/types/log-types.ts';

/** The newest events a summary reads at most: the console's counts stay at a few reads of the log. */
export const SUMMARY_EVENTS_MAX = 10_000;
const READ = 1000;

export const logSummarySchema = z.object({
  pushes: z.number().int(),
  outcomes: z.record(z.string(), z.number().int()),
  scannedEvents: z.number().int(),
  /** False when the match holds more than SUMMARY_EVENTS_MAX events: the counts cover the newest ones. */
  complete: z.boolean(),
});
export type LogSummary = z.infer<typeof logSummarySchema>;

/** Pushes per outcome over the match of `filter` (its newest SUMMARY_EVENTS_MAX events). */
export async function summarizeLog(log: ProvisioningLog, filter: LogFilter): Promise<LogSummary> {
  const events = [];
  let cursor: string | undefined;
  do {
    const page = await log.query(filter, { limit: READ, cursor });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && events.length < SUMMARY_EVENTS_MAX);
  const pushes = groupPushes(events);
  return {
    pushes: pushes.length,
    outcomes: countOutcomes(pushes),
    scannedEvents: events.length,
    complete: cursor === undefined,
  };
}
