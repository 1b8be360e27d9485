/**
 * One client = one file in `clients/`. This schema is the only definition of what such a file may say;
 * the CLI, the Lambdas and the CDK app all parse with it, so a config that passes `cspulse config check`
 * deploys and runs.
 */
import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { TEXT_ENCODINGS } from '../ingest/records/text-decoding.ts';
import { CHANNELS, OUTCOMES, SURVEY_TYPES } from '../tables.ts';
import { calendarSchema, holidayRegionOf } from './calendar-config.ts';
import { re2Problem } from './re2-pattern.ts';
import { countryOfZone } from './phone-region.ts';
import { expandPreset, PRESETS } from './presets.ts';

const isIanaZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const clientIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be 3-40 characters of a-z, 0-9 and "-", used in S3 keys and stack names');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');
const channel = z.enum(CHANNELS);
const outcome = z.enum(OUTCOMES);
const email = z.email();

/** Source column reference: a header name (any language), or a 0-based position when a file has no header. */
const columnRef = z.union([z.string().min(1), z.number().int().nonnegative()]);

/**
 * A date, time or timestamp format. Tokens: YYYY YY MM DD HH H mm ss SSS, or `iso` for ISO 8601 with an
 * optional offset or `Z`, or `epoch_s` / `epoch_ms`, or `excel` for a spreadsheet's date serial (days since
 * 1899-12-30, the fraction the time of day).
 */
const timeFormat = z.string().min(1);

const isRegex = (pattern: string): boolean => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};
const regex = z.string().min(1).refine(isRegex, 'must be a valid regular expression');
/** a pattern cspulse itself runs on a file name: RE2 syntax, matched in linear time (re2-pattern.ts) */
const re2Regex = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    const problem = re2Problem(pattern);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `must be an RE2 regular expression (${problem})` });
  });

const condition = z
  .object({
    column: columnRef,
    equals: z.string().optional(),
    in: z.array(z.string()).optional(),
    /** true: the raw value is empty or one of the field's null values */
    empty: z.boolean().optional(),
    /** a regular expression the raw value matches (RE2, unanchored: `^Local/` for a value that starts so) */
    matches: regex.optional(),
  })
  .strict();

export const TIMESTAMP_FIELDS = ['arrived_at', 'answered_at', 'ended_at', 'updated_at'] as const;
const durationUnit = z.enum(['seconds', 'milliseconds', 'minutes', 'hms', 'dhms', 'days']);

/** How one canonical field is read from a row. */
const fieldMappingObject = z
  .object({
    column: columnRef.optional(),
    /** several columns joined with `separator` (default "-"), for ids unique only in combination */
    columns: z.array(columnRef).min(2).optional(),
    separator: z.string().optional(),
    constant: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** raw values that mean "no value", e.g. `0` for an unknown customer or `0:00:00` for "did not happen" */
    null_values: z.array(z.string()).optional(),
    /**
     * value map, e.g. {전화: phone}; raw values not in the map are an error unless `default` is given. On a
     * number or duration the map replaces the raw values it lists (`"-": null`, `"N/A": 0`) and every other
     * value is read as a number.
     */
    map: z.record(z.string(), z.union([z.string(), z.boolean(), z.number(), z.null()])).optional(),
    default: z.union([z.string(), z.boolean(), z.number(), z.null()]).optional(),
    /**
     * durations: `seconds` (default), `milliseconds`, `minutes`, `hms` (H:MM:SS), `dhms` (`1d 2h 3m 4s`, parts
     * optional: 채널톡 writes `0h 5m 23s`) or `days` (a spreadsheet's time)
     */
    unit: durationUnit.optional(),
    /** for timestamps: one column with a format, or `date` + `time` in two columns */
    format: timeFormat.optional(),
    date: z.object({ column: columnRef, format: timeFormat }).optional(),
    time: z.object({ column: columnRef, format: timeFormat }).optional(),
    /** a negative duration becomes null instead of rejecting the row (some CTI exports write clock skew) */
    negative_as_null: z.boolean().optional(),
    /** regular expression the raw value must match, else the row is quarantined (e.g. a corrupted id) */
    pattern: regex.optional(),
    /** raw values matching this regular expression mean "no value", like null_values */
    null_pattern: regex.optional(),
    /** added to the year of a date, to undo a known wrong year (e.g. -11 when a spreadsheet made 1999 into 2010) */
    year_offset: z.number().int().optional(),
    /** the part of the raw value a regular expression picks: its first capture group, or the whole match */
    extract: regex.optional(),
    /** the mapping gives a value only on rows where every condition holds (else no value: fallbacks are tried) */
    when: z.array(condition).min(1).optional(),
    /**
     * durations: seconds from the first timestamp field to the second, e.g. [arrived_at, answered_at] for a
     * wait; computed on the contact as assembled (after call legs are grouped)
     */
    between: z.tuple([z.enum(TIMESTAMP_FIELDS), z.enum(TIMESTAMP_FIELDS)]).optional(),
    /** durations: this column minus another duration column in the same unit (`duration` − `billsec`) */
    minus: columnRef.optional(),
    /** timestamps: plus a duration column, in seconds unless a unit is given (`start` + `duration`) */
    plus: z.union([columnRef, z.object({ column: columnRef, unit: durationUnit.optional() }).strict()]).optional(),
    /**
     * wait_seconds given only as a bracket (Zendesk Explore's `1-8 hrs`): raw value → [lower, upper] seconds
     * (upper null for `>24 hrs`), or null for no value (`No replies`); the wait is then unknown but its edges are kept
     */
    brackets: z
      .record(z.string(), z.union([z.tuple([z.number().nonnegative(), z.number().nonnegative().nullable()]), z.null()]))
      .optional(),
  })
  .strict();
const fieldMapping = z.union([
  columnRef.transform((column) => ({ column })),
  fieldMappingObject.extend({
    /** tried in order when this mapping gives no value (e.g. end of service, else end of queue) */
    fallback: z.array(fieldMappingObject).min(1).optional(),
  }),
]);
export type FieldMapping = z.output<typeof fieldMapping>;

/** Ordered rules, the first match wins: for outcomes that depend on several columns. */
const outcomeRule = z
  .object({ when: z.array(condition).min(1), then: outcome })
  .strict();

export const LEG_RULES = ['first', 'last', 'earliest', 'latest', 'min', 'max', 'sum', 'any', 'all', 'answering'] as const;
export type LegRule = (typeof LEG_RULES)[number];

/**
 * Exports that write one row per call leg (Asterisk, FreeSWITCH): rows with the same key are one contact,
 * each field combined from its legs by a rule (assembly/group-legs.ts documents the defaults).
 */
const legsSchema = z
  .object({
    /**
     * a column whose value every leg of a call shares (Asterisk `linkedid`), or `{ column, parent }`: a row whose
     * `column` value is another row's `parent` value belongs to that row's contact (FreeSWITCH `uuid`/`bleg_uuid`)
     */
    key: z.union([columnRef, z.object({ column: columnRef, parent: columnRef }).strict()]),
    /** a leg that answered the call (every condition holds); default: the leg's own outcome is answered */
    answered: z.array(condition).min(1).optional(),
    /** of several answered legs, those matching these conditions answer first; then the longest talk, the earliest answer */
    prefer: z.array(condition).min(1).optional(),
    /**
     * the contact's outcome: `{ priority: [...] }` the first of these outcomes any leg has (default: answered,
     * abandoned, callback_requested, ivr_abandoned, self_service, excluded), or `first`: the first leg's
     */
    outcome: z.union([z.literal('first'), z.object({ priority: z.array(outcome).min(1) }).strict()]).optional(),
    /** per-field rule, e.g. `{ talk_seconds: sum }` */
    fields: z.record(z.string(), z.enum(LEG_RULES)).default({}),
  })
  .strict();

const csvOptions = {
  delimiter: z.string().min(1).max(2).refine((d) => !/["\r\n]/.test(d), 'cannot be a quote or a line break').default(','),
  encoding: z.enum(TEXT_ENCODINGS).default('utf-8'),
  /**
   * `replace`: bytes that are not valid in the encoding, in a column the mapping does not read, are kept as
   * U+FFFD instead of rejecting the file (a mapped column that cannot be decoded still rejects it)
   */
  invalid_bytes: z.enum(['reject', 'replace']).default('reject'),
  header: z.boolean().default(true),
  /** zone of local timestamps in the file when they carry no offset: an IANA zone or a fixed offset like +09:00 */
  timezone: z.string().optional(),
};

const contactMappingFields = z
  .object({
    contact_id: fieldMapping,
    channel: fieldMapping.optional(),
    direction: fieldMapping.optional(),
    queue: fieldMapping.optional(),
    category: fieldMapping.optional(),
    subcategory: fieldMapping.optional(),
    customer: fieldMapping.optional(),
    agent_id: fieldMapping.optional(),
    arrived_at: fieldMapping,
    answered_at: fieldMapping.optional(),
    ended_at: fieldMapping.optional(),
    ivr_seconds: fieldMapping.optional(),
    wait_seconds: fieldMapping.optional(),
    talk_seconds: fieldMapping.optional(),
    hold_seconds: fieldMapping.optional(),
    acw_seconds: fieldMapping.optional(),
    handle_seconds: fieldMapping.optional(),
    outcome: fieldMapping.optional(),
    is_transferred: fieldMapping.optional(),
    is_resolved: fieldMapping.optional(),
    /** the source's last update of the record: of several copies of a contact, the newest wins */
    updated_at: fieldMapping.optional(),
  })
  .strict();

/** The contact mapping every mapped contacts format shares; columns are field paths (`user.phone`) for JSON. */
const contactMapping = {
  channel: channel.optional(),
  fields: contactMappingFields,
  outcome_rules: z.array(outcomeRule).default([]),
  legs: legsSchema.optional(),
};

const surveyMappingFields = z
  .object({
    survey_id: fieldMapping,
    contact_id: fieldMapping.optional(),
    channel: fieldMapping.optional(),
    agent_id: fieldMapping.optional(),
    survey_type: fieldMapping,
    score: fieldMapping,
    scale_min: fieldMapping.optional(),
    scale_max: fieldMapping.optional(),
    comment: fieldMapping.optional(),
    responded_at: fieldMapping,
  })
  .strict();

const pullSchema = z
  .object({
    /** HTTPS export endpoint; `{date}` is replaced by the business date being collected (YYYY-MM-DD) */
    url: z.url({ protocol: /^https?$/ }),
    /** Secrets Manager secret holding {"username","password"} or {"token"} */
    secret_name: z.string().min(1),
    /** local time the collector runs each day, for the previous day */
    at: hhmm.default('03:00'),
  })
  .strict();

/** What a complete day of a source looks like; see completenessOf in ingest/coverage.ts for the defaults. */
const completenessSchema = z
  .object({
    /**
     * `daily-file`: one export per local business date; `continuous`: records stream in (Connect via Firehose);
     * `sporadic`: records come only when something happens (survey answers), so a day without a delivery is a
     * quiet day, not missing data (the default for survey sources)
     */
    expect: z.enum(['daily-file', 'continuous', 'sporadic']).optional(),
    /**
     * the dates a file is the export of: read from its name (the first capture group of pattern, in format; a
     * second group makes a range, `export_20260302-20260308.csv` a week), or `rows`: every date the file's rows
     * fall on (a backfill whose name says nothing). The pattern runs in RE2 (re2-pattern.ts).
     */
    file_date: z.union([z.object({ pattern: re2Regex, format: timeFormat }).strict(), z.literal('rows')]).optional(),
    /** continuous sources: minutes after a day ends before it counts as received */
    grace_minutes: z.number().int().nonnegative().optional(),
    /**
     * a delivery that quarantines more than this share of its rows did not deliver the day: its days count as
     * failed in reports and `cspulse ingest` exits 1 with status `partial` (default 0.5)
     */
    max_quarantined_share: z.number().min(0).max(1).optional(),
  })
  .strict();

const sourceBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, "-" or "_"'),
  /**
   * how reports name the source to the client ("전화", "상담톡"); default the name of its channel (or "설문" for
   * survey sources), never the id
   */
  label: z.string().min(1).max(40).optional(),
  description: z.string().optional(),
  /** pulled by a collector Lambda; without it the vendor or client uploads to the raw prefix */
  pull: pullSchema.optional(),
  completeness: completenessSchema.optional(),
  /**
   * The user ids in this source's customer field are its own (a chat platform's member numbers): they are
   * keyed within this namespace, so `user_8841` here is not `user_8841` of another source. Sources that share
   * one id space name the same namespace. Phone numbers and e-mails are never namespaced: they identify the
   * customer in every channel. Without it a user id is the same customer in every source.
   */
  user_id_namespace: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, "-" or "_" (for example the source id)')
    .optional(),
  /**
   * What the customer field holds. `auto` (the default) tells phone numbers, e-mail addresses and user ids
   * apart by their spelling. `user_id`: every value is the source's user id as written, even all digits (a
   * Zendesk requester id) or with an `@`, so no id is ever read as a phone number and joined to a caller.
   */
  customer_kind: z.enum(['auto', 'user_id']).optional(),
};

const sourceSchema = z.discriminatedUnion('format', [
  z
    .object({
      ...sourceBase,
      format: z.literal('cspulse-csv'),
      table: z.enum(['contacts', 'surveys']).default('contacts'),
      /** channel for every row when the file has no channel column */
      channel: channel.optional(),
      ...csvOptions,
    })
    .strict(),
  z
    .object({
      ...sourceBase,
      format: z.literal('amazon-connect-ctr'),
      table: z.literal('contacts').default('contacts'),
      /** Connect contact attribute that carries the 상담유형 category */
      category_attribute: z.string().default('category'),
      subcategory_attribute: z.string().default('subcategory'),
      /** attribute with the customer's e-mail or user id, for contacts without a phone endpoint (chat) */
      customer_attribute: z.string().optional(),
      /**
       * false when the instance's flows set a disconnect flow (a post-call survey): NextContactId then does not
       * mean the agent transferred the contact (amazon-connect-ctr.ts, "Transfers")
       */
      next_contact_is_transfer: z.boolean().default(true),
      /**
       * which never-queued inbound contacts left the IVR unserved (ivr_abandoned) instead of being served by it
       * (self_service): `never` (default), `customer_disconnect` or `{ unless_attribute: <attribute the flows set
       * when they served the customer> }` (amazon-connect-ctr.ts, outcome rule 4)
       */
      ivr_abandoned_when: z
        .union([z.enum(['never', 'customer_disconnect']), z.object({ unless_attribute: z.string().min(1) }).strict()])
        .default('never'),
    })
    .strict(),
  z
    .object({
      ...sourceBase,
      format: z.literal('mapped-csv'),
      table: z.literal('contacts').default('contacts'),
      ...csvOptions,
      ...contactMapping,
    })
    .strict(),
  z
    .object({
      ...sourceBase,
      format: z.literal('mapped-xlsx'),
      table: z.literal('contacts').default('contacts'),
      /** the worksheet to read, by its tab name; default the workbook's first sheet */
      sheet: z.string().min(1).optional(),
      /**
       * other sheets whose columns the mapping reads as `<sheet>.<column>`, from the row whose `key` column
       * equals this row's `by` column (채널톡: `{ sheet: User data, key: id, by: userId }`)
       */
      lookups: z.array(z.object({ sheet: z.string().min(1), key: z.string().min(1), by: z.string().min(1) }).strict()).default([]),
      header: z.boolean().default(true),
      timezone: csvOptions.timezone,
      ...contactMapping,
    })
    .strict(),
  z
    .object({
      ...sourceBase,
      format: z.literal('mapped-json'),
      table: z.literal('contacts').default('contacts'),
      /**
       * where the records are when the file is one JSON document: a field path to an array (`data.chats`);
       * without it the file is an array of records, or records one per line (NDJSON) or concatenated
       */
      records: z.string().min(1).optional(),
      timezone: csvOptions.timezone,
      ...contactMapping,
    })
    .strict(),
  z
    .object({
      ...sourceBase,
      format: z.literal('mapped-survey-csv'),
      table: z.literal('surveys').default('surveys'),
      ...csvOptions,
      fields: surveyMappingFields,
      /** scale per survey type, when the file does not say */
      scales: z
        .partialRecord(z.enum(SURVEY_TYPES), z.object({ min: z.number().int(), max: z.number().int() }))
        .default({}),
    })
    .strict(),
]);
/**
 * A source as a client file writes it: a format with its mapping, or `preset: <name>` (presets.ts, the files in
 * presets/) with any keys to set or override.
 */
const sourceEntrySchema = z.preprocess((raw, ctx) => {
  const preset = (raw as { preset?: unknown } | null)?.preset;
  if (preset !== undefined && (typeof preset !== 'string' || !(preset in PRESETS))) {
    ctx.addIssue({ code: 'custom', path: ['preset'], message: `unknown preset ${JSON.stringify(preset)} (presets: ${Object.keys(PRESETS).join(', ')})` });
    return z.NEVER;
  }
  return expandPreset(raw);
}, sourceSchema);
export type SourceConfig = z.output<typeof sourceSchema>;

export const SERVICE_LEVEL_FORMULAS = [
  /** answered within T / (offered − short abandons) */
  'answered_within_over_offered_less_short',
  /** answered within T / answered */
  'answered_within_over_answered',
  /** (answered, abandoned or callback requested within T) / offered — Amazon Connect's "Service level X seconds" */
  'connect_within_over_offered',
] as const;
export type ServiceLevelFormula = (typeof SERVICE_LEVEL_FORMULAS)[number];

const channelParametersSchema = z
  .object({
    service_level_seconds: z.number().positive().optional(),
    short_abandon_seconds: z.number().nonnegative().optional(),
    service_level_formula: z.enum(SERVICE_LEVEL_FORMULAS).optional(),
  })
  .strict();

export const TARGET_KPIS = [
  'answer_rate',
  'abandon_rate',
  'service_level',
  'asa_seconds',
  'aht_seconds',
  'fcr',
  'repeat_rate',
  'csat_avg',
  'csat_satisfied_rate',
  'nps',
  'ces_avg',
  'cost_per_contact',
  'transfer_rate',
  'self_service_rate',
] as const;
export type TargetKpi = (typeof TARGET_KPIS)[number];

const targetSchema = z
  .object({
    kpi: z.enum(TARGET_KPIS),
    channel: channel.optional(),
    op: z.enum(['>=', '<=']),
    value: z.number(),
    label: z.string().optional(),
  })
  .strict();
export type SlaTarget = z.output<typeof targetSchema>;

const contractVersionSchema = z
  .object({
    /** first local date these terms apply to */
    effective_from: isoDate,
    service_level_formula: z.enum(SERVICE_LEVEL_FORMULAS).default('answered_within_over_offered_less_short'),
    repeat_window_hours: z.number().positive().default(24),
    fcr_window_hours: z.number().positive().default(72),
    retry_window_minutes: z.number().positive().default(60),
    csat_satisfied_min: z.number().default(4),
    ces_low_effort_min: z.number().default(5),
    channels: z.partialRecord(channel, channelParametersSchema).default({}),
    targets: z.array(targetSchema).default([]),
    /** monthly cost of the service in the client's currency */
    monthly_cost: z.number().nonnegative().optional(),
    note: z.string().optional(),
  })
  .strict();
export type ContractVersion = z.output<typeof contractVersionSchema>;

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export const LOCALES = ['ko', 'en'] as const;

/** One person who gets the reports: an address, or an address with the report kinds and the language they want. */
const recipientSchema = z.union([
  email.transform((address) => ({ address })),
  z
    .object({
      address: email,
      /** the report kinds this person gets (a CEO may want monthly only); default all the client gets */
      kinds: z.array(z.enum(REPORT_KINDS)).min(1).optional(),
      /** the language of this person's e-mail; default the client's locale */
      locale: z.enum(LOCALES).optional(),
    })
    .strict(),
]);
export type Recipient = z.output<typeof recipientSchema>;

const reportsSchema = z
  .object({
    daily: z.boolean().default(true),
    weekly: z.boolean().default(true),
    monthly: z.boolean().default(true),
    send_at: hhmm.default('08:00'),
    /** give up waiting for late data and send marked incomplete after this many minutes */
    freshness_deadline_minutes: z.number().int().positive().default(180),
    /** KPI drawn as the line in the daily trend chart */
    trend_line: z.enum(['answer_rate', 'service_level']).default('service_level'),
    /**
     * A period without any data from any source: `notify-operator` (default) mails a short notice to
     * recipients.operator instead of the client, `send` sends the client a report that says so, `skip` sends nothing
     * (Metabase's "don't send if empty")
     */
    when_no_data: z.enum(['notify-operator', 'send', 'skip']).default('notify-operator'),
    /** a figure from fewer responses or contacts than this shows its n and is not coloured better or worse */
    min_sample: z.number().int().positive().default(30),
    /** attachments with the daily and hourly figures: CSV keeps raw fractions for machines, XLSX is formatted */
    attachments: z.array(z.enum(['csv', 'xlsx'])).default(['csv', 'xlsx']),
    /**
     * TLS to the recipients' mail servers (the SES configuration set's TlsPolicy): `require` (default) bounces a
     * report to a server that does not offer STARTTLS, which the bounce alarm then reports; `optional` sends it in
     * the clear to such a server, for a client whose mail server is that old
     */
    tls: z.enum(['require', 'optional']).default('require'),
  })
  .strict();

export const clientConfigSchema = z
  .object({
    id: clientIdSchema,
    name: z.string().min(1),
    timezone: z.string().refine(isIanaZone, 'must be an IANA time zone such as Asia/Seoul'),
    /**
     * ISO 3166-1 alpha-2 country whose national spelling the exports use for phone numbers (`010-…` is KR,
     * `(415) 555-…` is US). Default: the country of `timezone` (phone-region.ts); required when the zone names
     * no single country.
     */
    phone_region: z
      .string()
      .refine(isSupportedCountry, 'must be an ISO 3166-1 alpha-2 country code with a numbering plan, in capitals, such as KR or US')
      .optional(),
    locale: z.enum(LOCALES).default('ko'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as KRW').default('KRW'),
    sources: z
      .array(sourceEntrySchema)
      .min(1)
      .refine((s) => new Set(s.map((x) => x.id)).size === s.length, 'source ids must be unique'),
    contract: z
      .array(contractVersionSchema)
      .min(1)
      .refine(
        (v) => v.every((x, i) => i === 0 || x.effective_from > v[i - 1]!.effective_from),
        'contract versions must be in ascending effective_from order',
      ),
    /**
     * When each channel is open (docs/calendar.md); versioned like the contract. Without it every channel is
     * open every day, all hours.
     */
    calendar: calendarSchema.optional(),
    recipients: z
      .object({
        to: z.array(recipientSchema).min(1),
        cc: z.array(recipientSchema).default([]),
        /** the account manager: Reply-To of every report, and where List-Unsubscribe requests go */
        reply_to: email.optional(),
        /** the operator's address for notices that are not for the client (no data received); default reply_to */
        operator: email.optional(),
      })
      .strict(),
    sender: email.optional(),
    reports: reportsSchema.prefault({}),
  })
  .strict()
  // Runs on a partly invalid config too (zod reports every problem at once), hence the guards.
  .superRefine((config, ctx) => {
    const zoneIsValid = typeof config.timezone === 'string' && isIanaZone(config.timezone);
    if (zoneIsValid && config.phone_region === undefined && countryOfZone(config.timezone) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['phone_region'],
        message:
          `timezone ${config.timezone} is not the zone of one country, so national phone numbers cannot be read: ` +
          'set phone_region to the country whose spelling the exports use, such as KR or US',
      });
    }
    (Array.isArray(config.calendar) ? config.calendar : []).forEach((version, i) => {
      if (!zoneIsValid || version?.holidays !== true || version.country !== undefined) return;
      if (holidayRegionOf(version, config) === undefined) {
        const region = config.phone_region ?? countryOfZone(config.timezone);
        ctx.addIssue({
          code: 'custom',
          path: ['calendar', i, 'country'],
          message:
            region === undefined
              ? `timezone ${config.timezone} is not the zone of one country: set the country whose public holidays apply, such as KR, or holidays: false`
              : `no public holidays are known for ${region} (the client's ${config.phone_region === undefined ? 'time zone' : 'phone_region'}): set country, or holidays: false`,
        });
      }
    });
    (Array.isArray(config.sources) ? config.sources : []).forEach((source, i) => {
      if (source?.user_id_namespace !== undefined && source.table === 'surveys') {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'user_id_namespace'],
          message: 'survey sources carry no customer to namespace',
        });
      }
      if (source?.customer_kind !== undefined && source.table === 'surveys') {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'customer_kind'], message: 'survey sources carry no customer' });
      }
    });
  });

export type ClientConfig = z.output<typeof clientConfigSchema>;
export type ClientConfigInput = z.input<typeof clientConfigSchema>;

/** Per-channel KPI parameters with the spec's defaults filled in. */
export interface ChannelParameters {
  serviceLevelSeconds: number;
  shortAbandonSeconds: number;
  serviceLevelFormula: ServiceLevelFormula;
}

const CHANNEL_DEFAULTS: Record<(typeof CHANNELS)[number], { sl: number; short: number }> = {
  phone: { sl: 20, short: 5 },
  chat: { sl: 60, short: 0 },
  board: { sl: 86_400, short: 0 },
  email: { sl: 86_400, short: 0 },
};

export function channelParameters(
  version: ContractVersion,
  ch: (typeof CHANNELS)[number],
): ChannelParameters {
  const own = version.channels[ch];
  return {
    serviceLevelSeconds: own?.service_level_seconds ?? CHANNEL_DEFAULTS[ch].sl,
    shortAbandonSeconds: own?.short_abandon_seconds ?? CHANNEL_DEFAULTS[ch].short,
    serviceLevelFormula: own?.service_level_formula ?? version.service_level_formula,
  };
}

/** The contract version in force on a local date, or undefined before the first one. */
export function contractInForce(config: ClientConfig, localDate: string): ContractVersion | undefined {
  let found: ContractVersion | undefined;
  for (const version of config.contract) if (version.effective_from <= localDate) found = version;
  return found;
}
