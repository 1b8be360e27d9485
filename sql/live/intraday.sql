-- Today so far and its usual, for the live page and the intraday alerts (functions/core/live/): the client's
-- contacts of today up to the minute the page is asked for, and of the same weekday of the four weeks before,
-- whole (the usual band of the day's chart) with the part up to the same minute and the last hour marked. One
-- scan of five partitions, three grains:
--   bucket    per day, channel and 15 minutes of the local day: offered, answered, abandoned and the
--             service-level numerator and denominator of the contract's formula, the waits of answered contacts
--   category  per day and category (inbound contacts, '(none)' without one), as the report's category mix counts them
--   source    per day and source: every row, its newest arrival (how far the source's data reaches) and its
--             newest delivery (when an export of it last came: its silence)
-- The classification of a contact is the one of sql/kpis/hourly_drivers.sql; definitions: docs/metrics.md.
--
-- Slots (`{{ }}`, literals from the validated contract version in force and from the clock): per channel the
-- service-level threshold T, the short-abandon threshold S (seconds) and the service-level formula; per day i
-- (0 = today, 1-4 = the same weekday 1-4 weeks before) its local date day_i_dt and, as seconds since the epoch,
-- its local midnight (day_i_start), the end of the minute the page is asked for at that day's wall-clock time
-- (day_i_cutoff, exclusive) and one hour before it (day_i_hour_start). Today's contacts from the cutoff on are
-- left out (a replayed lake may hold them already).
--
-- Positional parameters, in this order, all in the WHERE clause:
--   1      client_id
--   2-6    the five local dates, today first: the only partitions read
with

contract_channel_parameters as (
    select channel, service_level_seconds, short_abandon_seconds, service_level_formula
    from (
        values
            ('phone', {{phone_service_level_seconds}}, {{phone_short_abandon_seconds}}, {{phone_service_level_formula}}),
            ('chat', {{chat_service_level_seconds}}, {{chat_short_abandon_seconds}}, {{chat_service_level_formula}}),
            ('board', {{board_service_level_seconds}}, {{board_short_abandon_seconds}}, {{board_service_level_formula}}),
            ('email', {{email_service_level_seconds}}, {{email_short_abandon_seconds}}, {{email_service_level_formula}})
    ) as parameters (channel, service_level_seconds, short_abandon_seconds, service_level_formula)
),

live_days as (
    select day_index, dt, start_unix, cutoff_unix, hour_start_unix
    from (
        values
            (0, {{day_0_dt}}, {{day_0_start}}, {{day_0_cutoff}}, {{day_0_hour_start}}),
            (1, {{day_1_dt}}, {{day_1_start}}, {{day_1_cutoff}}, {{day_1_hour_start}}),
            (2, {{day_2_dt}}, {{day_2_start}}, {{day_2_cutoff}}, {{day_2_hour_start}}),
            (3, {{day_3_dt}}, {{day_3_start}}, {{day_3_cutoff}}, {{day_3_hour_start}}),
            (4, {{day_4_dt}}, {{day_4_start}}, {{day_4_cutoff}}, {{day_4_hour_start}})
    ) as days (day_index, dt, start_unix, cutoff_unix, hour_start_unix)
),

contacts_of_days as (
    select
        dt, channel, direction, outcome, category, source, arrived_at, local_hour,
        wait_seconds, wait_min_seconds, wait_max_seconds,
        coalesce(delivered_at, ingested_at) as delivered_at
    from contacts
    where client_id = ? and dt in (?, ?, ?, ?, ?)
),

contacts_timed as (
    select
        c.dt,
        c.channel,
        c.outcome,
        c.category,
        c.source,
        c.arrived_at,
        c.delivered_at,
        c.wait_seconds,
        c.wait_min_seconds,
        c.wait_max_seconds,
        c.direction = 'inbound' and c.outcome <> 'excluded' as is_inbound,
        to_unixtime(c.arrived_at) < d.cutoff_unix as is_before_cutoff,
        to_unixtime(c.arrived_at) >= d.hour_start_unix and to_unixtime(c.arrived_at) < d.cutoff_unix as is_last_hour,
        -- the local hour as ingest wrote it, and the quarter of it from the seconds since local midnight (whole-hour
        -- clock changes leave the quarter as it is)
        c.local_hour * 4 + cast(floor(
            ((to_unixtime(c.arrived_at) - d.start_unix) - 3600 * floor((to_unixtime(c.arrived_at) - d.start_unix) / 3600)) / 900
        ) as integer) as bucket,
        d.day_index
    from contacts_of_days as c
    inner join live_days as d on c.dt = d.dt
),

contacts_in_view as (
    select * from contacts_timed
    where day_index > 0 or is_before_cutoff
),

contacts_classified as (
    select
        v.*,
        v.is_inbound and v.outcome in ('answered', 'abandoned', 'callback_requested') as is_offered,
        v.is_inbound and v.outcome = 'answered' as is_answered,
        v.is_inbound and v.outcome = 'abandoned' as is_abandoned,
        v.is_inbound and v.outcome = 'abandoned' and coalesce(v.wait_seconds < p.short_abandon_seconds, false) as is_short_abandon,
        v.is_inbound and v.outcome = 'callback_requested' as is_callback,
        case
            when v.wait_seconds is not null then v.wait_seconds <= p.service_level_seconds
            when v.wait_max_seconds is not null and v.wait_max_seconds <= p.service_level_seconds then true
            when v.wait_min_seconds is not null and v.wait_min_seconds >= p.service_level_seconds then false
            when v.wait_min_seconds is not null then null
            else false
        end as is_within_threshold,
        v.wait_seconds is not null or v.wait_min_seconds is not null as has_known_wait,
        p.service_level_formula
    from contacts_in_view as v
    inner join contract_channel_parameters as p on v.channel = p.channel
),

contacts_judged as (
    select
        *,
        case service_level_formula
            when 'answered_within_over_offered_less_short' then is_answered and is_within_threshold
            when 'answered_within_over_answered' then is_answered and is_within_threshold
            when 'connect_within_over_offered' then (is_answered or is_abandoned or is_callback) and is_within_threshold
        end as counts_in_service_level_numerator,
        case service_level_formula
            when 'answered_within_over_offered_less_short' then is_offered and not is_short_abandon
            when 'answered_within_over_answered' then is_answered
            when 'connect_within_over_offered' then is_offered
        end as counts_in_service_level_denominator
    from contacts_classified
),

intraday_counts as (
    select
        case
            when grouping(bucket) = 0 then 'bucket'
            when grouping(category) = 0 then 'category'
            else 'source'
        end as grain,
        dt,
        channel,
        bucket,
        coalesce(category, '(none)') as category,
        source,
        is_before_cutoff,
        is_last_hour,
        sum(case when is_inbound then 1 else 0 end) as inbound,
        sum(case when is_offered then 1 else 0 end) as offered,
        sum(case when is_answered then 1 else 0 end) as answered,
        sum(case when is_abandoned then 1 else 0 end) as abandoned,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned,
        sum(case when counts_in_service_level_numerator then 1 else 0 end) as service_level_numerator,
        sum(case when counts_in_service_level_denominator then 1 else 0 end) as service_level_denominator,
        sum(case when counts_in_service_level_denominator and has_known_wait then 1 else 0 end) as service_level_known_waits,
        sum(case when counts_in_service_level_denominator and has_known_wait and is_within_threshold is null then 1 else 0 end) as service_level_unknown_brackets,
        sum(case when is_answered and wait_seconds is not null then wait_seconds else 0 end) as answered_wait_seconds,
        sum(case when is_answered and wait_seconds is not null then 1 else 0 end) as answered_with_wait,
        count(*) as contacts,
        max(arrived_at) as newest_arrived_at,
        max(delivered_at) as newest_delivered_at
    from contacts_judged
    group by grouping sets (
        (dt, channel, bucket, is_before_cutoff, is_last_hour),
        (dt, category, is_before_cutoff, is_last_hour),
        (dt, source, is_before_cutoff, is_last_hour)
    )
)

select * from intraday_counts
order by grain, dt, channel, bucket, category, source, is_before_cutoff, is_last_hour
