/**
 * `live:` in a client file: the live page of today so far (functions/core/live/) and the intraday alerts judged
 * after each ingest. Everything has a default, so a client file without `live:` gets the page and alerts to its
 * operator; docs/live.md explains each rule.
 */
import { z } from 'zod';

const alertsSchema = z
  .object({
    /**
     * the last hour's service level of a channel with a service-level target is this far under the target
     * (a fraction: 0.05 is 5 percentage points) before it alerts
     */
    service_level_margin: z.number().min(0).max(1).default(0.05),
    /** an hour with fewer offered contacts than this is not judged (one abandoned call is not a trend) */
    min_offered: z.number().int().positive().default(10),
    /** the last hour's abandons of a channel over their usual for that hour (the category spike rule, scaled to the hour) */
    abandons: z.boolean().default(true),
    /** a category over its usual for this time of day (the category spike rule, scaled to the hour) */
    categories: z.boolean().default(true),
    /**
     * a source silent past its usual arrival: an intraday source from which no export has come for this many minutes,
     * in an hour it usually delivers (three missed pulls of a collector that pulls every 15 minutes); a daily export
     * not in by its usual time plus this many minutes
     */
    silent_minutes: z.number().int().positive().default(45),
    /** alerts go to recipients.operator; true: also to the client's `to` recipients */
    notify_client: z.boolean().default(false),
  })
  .strict();

export const liveSchema = z
  .object({
    /** the page reloads itself this often */
    refresh_seconds: z.number().int().min(15).max(3600).default(60),
    /** how long the link in a daily e-mail opens the page */
    link_days: z.number().int().min(1).max(31).default(7),
    alerts: alertsSchema.prefault({}),
  })
  .strict();

export type LiveConfig = z.output<typeof liveSchema>;
export type LiveAlertsConfig = LiveConfig['alerts'];
