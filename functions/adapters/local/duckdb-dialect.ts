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
  `create or replace temp macro from_unixtime(seconds) as make_timestamp(cast(round(seconds * 1000000) as bigint))`,
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
  // Trino: ISO day of week, Monday = 1.
  `create or replace temp macro day_of_week(d) as isodow(d)`,
  `create or replace temp macro to_iso8601(ts) as strftime(cast(ts as timestamp), '%Y-%m-%dT%H:%M:%S.%g') || 'Z'`,
];
