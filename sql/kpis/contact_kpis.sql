-- Contact KPIs per report period, in one scan of the lake: per period × channel and per period (all channels),
-- per period × local date (× channel) for the trend chart and the SLA days-met count, and per period × local
-- hour (× channel) for the hourly profile. Definitions: docs/metrics.md.
--
-- Athena takes execution parameters only in WHERE clauses, so the file has two kinds of inputs
-- (functions/core/kpis/kpi-queries.ts supplies both):
--
-- `{{ }}` slots, filled with SQL literals from the validated contract version in force (numbers, enum members,
-- YYYY-MM-DD dates only; functions/core/sql/sql-literal.ts): per channel the service-level threshold T and the
-- short-abandon threshold S in seconds and the service-level formula; the repeat, retry-after-abandon and FCR
-- windows in seconds; the (start dt, end dt) of the periods current, prior, week_ago and trend (an unused
-- period is an empty range, start > end); the sources whose exports record transfers (a list of source ids: the
-- transfer rate of contacts from other sources is unknown, not 0). To run the file by hand, replace each slot with
-- a literal.
--
-- Positional parameters, in this order, all in WHERE clauses:
--   1      client_id
--   2-3    scan range of dt: the union of the periods widened by the window margins, so that look-back and
--          look-forward windows see the contacts across the period boundaries
--   4      client_id
--   5-6    dt range probed for the newest contact in the lake, which decides whether FCR is provisional: from
--          the last period end to a few days past the FCR window (reading only arrived_at), so that a report
--          on an old period does not read the whole later lake
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

contract_windows as (
    select
        {{repeat_window_seconds}} as repeat_window_seconds,
        {{retry_window_seconds}} as retry_window_seconds,
        {{fcr_window_seconds}} as fcr_window_seconds
),

report_periods as (
    select period_name, start_dt, end_dt
    from (
        values
            ('current', {{current_start}}, {{current_end}}),
            ('prior', {{prior_start}}, {{prior_end}}),
            ('week_ago', {{week_ago_start}}, {{week_ago_end}}),
            ('trend', {{trend_start}}, {{trend_end}})
    ) as periods (period_name, start_dt, end_dt)
),

contacts_in_scan as (
    select
        contact_id,
        channel,
        direction,
        outcome,
        category,
        customer_key,
        agent_id,
        arrived_at,
        wait_seconds,
        wait_min_seconds,
        wait_max_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        handle_seconds,
        is_transferred,
        local_hour,
        dt,
        direction = 'inbound' and outcome <> 'excluded' as is_inbound,
        coalesce(source in {{transfer_recording_sources}}, false) as records_transfers
    from contacts
    where client_id = ? and dt between ? and ?
),

-- Distinct arrival instants per customer, so that the neighbour found by lag/lead is strictly earlier/later:
-- a contact arriving at the same instant is neither a repeat of nor a follow-up to another.
customer_arrivals as (
    select
        customer_key,
        arrived_at,
        lag(arrived_at) over (partition by customer_key order by arrived_at) as previous_arrived_at,
        lead(arrived_at) over (partition by customer_key order by arrived_at) as next_arrived_at
    from (
        select distinct customer_key, arrived_at
        from contacts_in_scan
        where is_inbound and customer_key is not null
    ) as distinct_arrivals
),

newest_contact_in_lake as (
    select max(arrived_at) as newest_arrived_at
    from contacts
    where client_id = ? and dt between ? and ?
),

contacts_classified as (
    select
        c.dt,
        c.channel,
        c.local_hour,
        c.agent_id,
        c.arrived_at,
        c.wait_seconds,
        c.talk_seconds,
        c.acw_seconds,
        coalesce(
            c.handle_seconds,
            case
                when c.talk_seconds is null and c.hold_seconds is null and c.acw_seconds is null then null
                else coalesce(c.talk_seconds, 0) + coalesce(c.hold_seconds, 0) + coalesce(c.acw_seconds, 0)
            end
        ) as handle_seconds,
        c.is_inbound,
        c.is_inbound and c.outcome in ('answered', 'abandoned', 'callback_requested') as is_offered,
        c.is_inbound and c.outcome = 'answered' as is_answered,
        c.is_inbound and c.outcome = 'abandoned' as is_abandoned,
        c.is_inbound and c.outcome = 'abandoned'
            and coalesce(c.wait_seconds < p.short_abandon_seconds, false) as is_short_abandon,
        c.is_inbound and c.outcome = 'callback_requested' as is_callback,
        c.is_inbound and c.outcome = 'self_service' as is_self_service,
        c.is_inbound and c.outcome = 'ivr_abandoned' as is_ivr_abandoned,
        c.outcome = 'excluded' as is_excluded,
        c.direction = 'outbound' and c.outcome <> 'excluded' as is_outbound,
        c.is_inbound and c.outcome = 'answered' and c.records_transfers as is_answered_with_transfer_known,
        c.is_inbound and c.outcome = 'answered' and c.records_transfers and c.is_transferred as is_transferred_answer,
        -- a wait known only as a bracket (wait_min_seconds, wait_max_seconds) is within T when its upper edge is at
        -- most T, beyond it when its lower edge is at least T, and unknown (null) when T falls inside it
        case
            when c.wait_seconds is not null then c.wait_seconds <= p.service_level_seconds
            when c.wait_max_seconds is not null and c.wait_max_seconds <= p.service_level_seconds then true
            when c.wait_min_seconds is not null and c.wait_min_seconds >= p.service_level_seconds then false
            when c.wait_min_seconds is not null then null
            else false
        end as is_within_threshold,
        c.wait_seconds is not null or c.wait_min_seconds is not null as has_known_wait,
        p.service_level_formula,
        c.customer_key is not null as has_customer_key,
        a.previous_arrived_at is not null
            and to_unixtime(a.previous_arrived_at) >= to_unixtime(c.arrived_at) - w.repeat_window_seconds as is_repeat,
        a.next_arrived_at is not null
            and to_unixtime(a.next_arrived_at) <= to_unixtime(c.arrived_at) + w.retry_window_seconds as is_retried,
        a.next_arrived_at is not null
            and to_unixtime(a.next_arrived_at) <= to_unixtime(c.arrived_at) + w.fcr_window_seconds as is_followed_within_fcr_window,
        to_unixtime(c.arrived_at) + w.fcr_window_seconds as fcr_window_end_unix
    from contacts_in_scan as c
    inner join contract_channel_parameters as p on c.channel = p.channel
    cross join contract_windows as w
    left join customer_arrivals as a
        on c.customer_key = a.customer_key and c.arrived_at = a.arrived_at
),

-- Amazon Connect's "Service level X seconds" counts a contact removed from the queue within X, whether an agent
-- answered it, the customer abandoned it or the customer requested a callback, over the contacts queued
-- (Amazon Connect Administrator Guide, historical metrics definitions:
-- https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html#service-level-historical).
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
        end as counts_in_service_level_denominator,
        is_answered and has_customer_key as is_answered_with_key
    from contacts_classified
),

contacts_in_periods as (
    select p.period_name, p.start_dt, p.end_dt, j.*
    from contacts_judged as j
    inner join report_periods as p on j.dt between p.start_dt and p.end_dt
),

kpi_counts as (
    select
        period_name,
        case
            when grouping(dt) = 0 then 'day'
            when grouping(local_hour) = 0 then 'hour'
            else 'period'
        end as grain,
        case when grouping(channel) = 0 then channel else 'all' end as channel_group,
        dt,
        local_hour,
        case
            when grouping(dt) = 0 then 1
            else (to_unixtime(cast(cast(max(end_dt) as date) as timestamp))
                - to_unixtime(cast(cast(max(start_dt) as date) as timestamp))) / 86400 + 1
        end as days,
        sum(case when is_inbound then 1 else 0 end) as inbound,
        sum(case when is_offered then 1 else 0 end) as offered,
        sum(case when is_answered then 1 else 0 end) as answered,
        sum(case when is_abandoned then 1 else 0 end) as abandoned,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned,
        sum(case when is_callback then 1 else 0 end) as callbacks,
        sum(case when is_self_service then 1 else 0 end) as self_service,
        sum(case when is_ivr_abandoned then 1 else 0 end) as ivr_abandoned,
        sum(case when is_excluded then 1 else 0 end) as excluded,
        sum(case when is_outbound then 1 else 0 end) as outbound,
        sum(case when is_transferred_answer then 1 else 0 end) as transferred,
        sum(case when is_answered_with_transfer_known then 1 else 0 end) as answered_with_transfer_known,
        sum(case when counts_in_service_level_numerator then 1 else 0 end) as service_level_numerator,
        sum(case when counts_in_service_level_denominator then 1 else 0 end) as service_level_denominator,
        sum(case when counts_in_service_level_denominator and has_known_wait then 1 else 0 end) as service_level_known_waits,
        sum(case when counts_in_service_level_denominator and has_known_wait and is_within_threshold is null then 1 else 0 end) as service_level_unknown_brackets,
        avg(case when is_answered then wait_seconds end) as asa_seconds,
        avg(case when is_answered then handle_seconds end) as aht_seconds,
        avg(case when is_answered then talk_seconds end) as avg_talk_seconds,
        avg(case when is_answered then acw_seconds end) as avg_acw_seconds,
        approx_percentile(case when is_answered then wait_seconds end, 0.9) as wait_p90_seconds,
        max(case when is_answered then wait_seconds end) as max_wait_seconds,
        avg(case when is_abandoned then wait_seconds end) as avg_abandon_wait_seconds,
        sum(case when is_inbound and has_customer_key then 1 else 0 end) as inbound_with_key,
        sum(case when is_inbound and has_customer_key and is_repeat then 1 else 0 end) as repeats,
        sum(case when is_abandoned and has_customer_key then 1 else 0 end) as abandoned_with_key,
        sum(case when is_abandoned and has_customer_key and is_retried then 1 else 0 end) as retries,
        sum(case when is_answered_with_key then 1 else 0 end) as answered_with_key,
        sum(case when is_answered_with_key and not is_followed_within_fcr_window then 1 else 0 end) as first_contact_resolved,
        max(case when is_answered_with_key then fcr_window_end_unix end) as last_fcr_window_end_unix,
        count(distinct case when is_answered and agent_id is not null then agent_id || '|' || dt end) as agent_days
    from contacts_in_periods
    group by grouping sets (
        (period_name, channel),
        (period_name),
        (period_name, dt, channel),
        (period_name, dt),
        (period_name, local_hour, channel),
        (period_name, local_hour)
    )
),

kpis_per_group as (
    select
        k.period_name,
        k.grain,
        k.channel_group,
        k.dt,
        k.local_hour,
        k.days,
        k.inbound,
        k.offered,
        k.answered,
        k.abandoned,
        k.short_abandoned,
        k.callbacks,
        k.self_service,
        k.ivr_abandoned,
        k.excluded,
        k.outbound,
        cast(k.answered as double) / nullif(cast(k.offered - k.short_abandoned as double), 0) as answer_rate,
        cast(k.abandoned - k.short_abandoned as double) / nullif(cast(k.offered - k.short_abandoned as double), 0) as abandon_rate,
        -- unknown, not 0, when no contact of the base has a known wait (an export without queue times), or when
        -- a bracketed wait straddles the threshold (a bracket export whose edges T is not one of)
        case
            when k.service_level_known_waits = 0 or k.service_level_unknown_brackets > 0 then null
            else cast(k.service_level_numerator as double) / nullif(cast(k.service_level_denominator as double), 0)
        end as service_level,
        k.asa_seconds,
        k.aht_seconds,
        k.avg_talk_seconds,
        k.avg_acw_seconds,
        cast(k.wait_p90_seconds as double) as wait_p90_seconds,
        k.max_wait_seconds,
        k.avg_abandon_wait_seconds,
        -- unknown, not 0, when no answered contact comes from a source that records transfers
        cast(k.transferred as double) / nullif(cast(k.answered_with_transfer_known as double), 0) as transfer_rate,
        cast(k.self_service as double) / nullif(cast(k.self_service + k.offered as double), 0) as self_service_rate,
        -- callers who left in the IVR or the bot unserved, of every inbound contact (docs/metrics.md)
        cast(k.ivr_abandoned as double) / nullif(cast(k.inbound as double), 0) as ivr_abandon_rate,
        cast(k.repeats as double) / nullif(cast(k.inbound_with_key as double), 0) as repeat_rate,
        cast(k.retries as double) / nullif(cast(k.abandoned_with_key as double), 0) as retry_after_abandon_rate,
        cast(k.first_contact_resolved as double) / nullif(cast(k.answered_with_key as double), 0) as fcr,
        k.answered_with_key > 0
            and (n.newest_arrived_at is null or k.last_fcr_window_end_unix > to_unixtime(n.newest_arrived_at)) as fcr_provisional,
        cast(k.answered as double) / nullif(cast(k.days as double), 0) as contacts_per_day,
        cast(k.answered as double) / nullif(cast(k.agent_days as double), 0) as contacts_per_agent_day,
        k.inbound_with_key,
        k.repeats,
        k.abandoned_with_key,
        k.retries,
        k.answered_with_key,
        k.first_contact_resolved,
        k.service_level_numerator,
        k.service_level_denominator,
        k.service_level_known_waits,
        k.service_level_unknown_brackets,
        k.agent_days,
        n.newest_arrived_at as data_through
    from kpi_counts as k
    cross join newest_contact_in_lake as n
)

select * from kpis_per_group
order by period_name, grain, channel_group, dt, local_hour
