/**
 * The one place where DuckDB and Athena (Trino) differ. Every file in `sql/` is written in Trino syntax; these
 * macros give DuckDB the Trino functions those files use, so the same text runs on both engines.
 *
 * DuckDB resolves a temporary macro before a built-in function of the same name, so a shim for a name DuckDB
 * already has (date_add, date_diff) declares the built-in's own signature as an overload too, or it would hide it.
 */
export const DUCKDB_TRINO_SHIMS: readonly string[] = [
  // Trino: seconds since the epoch as a double. DuckDB: epoch().
  `create or replace temp macro to_unixtime(ts) as epoch(ts)`,
  // Trino (https://trino.io/docs/current/functions/datetime.html): from_unixtime(s) is the instant, a timestamp
  // with time zone; from_unixtime(s, zone) is the same instant in `zone`, whose cast to timestamp is the wall
  // clock there. DuckDB's TIMESTAMPTZ has no zone of its own, so the two-argument form gives the wall clock at
  // once: `cast(from_unixtime(s, zone) as timestamp)` is the same local time on both engines, DST included.
  `create or replace temp macro from_unixtime(seconds) as to_timestamp(seconds),
     (seconds, zone) as timezone(zone, to_timestamp(seconds))`,
  // Trino: at_timezone(instant, zone), the instant in `zone`; here, as above, its wall clock there.
  `create or replace temp macro at_timezone(ts, zone) as timezone(zone, cast(ts as timestamptz))`,
  // Athena's approx_percentile is a q-digest estimate; on the small groups the tests use it returns a value
  // of the group, which quantile_disc returns exactly.
  `create or replace temp macro approx_percentile(x, p) as quantile_disc(x, p)`,
  // Trino: date_add(unit, value, timestamp). DuckDB's own date_add(date, interval) stays available.
  `create or replace temp macro date_add(a, b) as a + b,
     (unit, amount, ts) as ts + (case lower(unit)
        when 'millisecond' then to_milliseconds(amount)
        when 'second' then to_seconds(amount)
        when 'minute' then to_minutes(amount)
        when 'hour' then to_hours(amount)
        when 'day' then to_days(amount)
        when 'week' then to_days(amount * 7)
        when 'month' then to_months(amount)
        when 'year' then to_years(amount)
      end)`,
  // No date_diff shim: Trino counts whole units elapsed, DuckDB counts boundaries crossed, and a same-named
  // macro would hide DuckDB's own. The SQL compares to_unixtime() differences instead.
  // Trino: the last day of the month of a date.
  `create or replace temp macro last_day_of_month(d) as last_day(cast(d as date))`,
  // Trino: ISO day of week, Monday = 1.
  `create or replace temp macro day_of_week(d) as isodow(d)`,
  // Trino writes an instant with its zone (`Z` in a UTC session) and a zone-less timestamp without one.
  `create or replace temp macro to_iso8601(ts) as strftime(cast(ts as timestamp), '%Y-%m-%dT%H:%M:%S.%g')
     || case when typeof(ts) = 'TIMESTAMP WITH TIME ZONE' then 'Z' else '' end`,
];
