-- kpi_hourly: the contact KPIs of kpi_daily per client, local date (dt), local hour (local_hour, 0-23, as the
-- ingest derived it in the client's zone: in America/Los_Angeles the day that springs forward has no hour 2, and
-- the day that falls back counts both of its 01:00-01:59 in hour 1) and channel ('all' for every channel), as
-- the report's hourly profile computes them. Beside each rate or mean stand its numerator and denominator, so that
-- hour 10 of a week is sum(<kpi>_numerator) / sum(<kpi>_denominator) over its days; the rules of kpi_daily apply.
-- Survey KPIs, cost and agent-days are per day only (kpi_daily).
--
-- Filter on client_id (Athena's partition projection requires it) and dt.
create or replace view kpi_hourly as
with

kpi_counts as (
    select
        client_id,
        dt,
        local_hour,
        case when grouping(channel) = 0 then channel else 'all' end as channel,
        cast(sum(case when is_inbound then 1 else 0 end) as bigint) as inbound,
        cast(sum(case when is_offered then 1 else 0 end) as bigint) as offered,
        cast(sum(case when is_answered then 1 else 0 end) as bigint) as answered,
        cast(sum(case when is_abandoned then 1 else 0 end) as bigint) as abandoned,
        cast(sum(case when is_short_abandon then 1 else 0 end) as bigint) as short_abandoned,
        cast(sum(case when is_callback then 1 else 0 end) as bigint) as callbacks,
        cast(sum(case when is_self_service then 1 else 0 end) as bigint) as self_service,
        cast(sum(case when is_ivr_abandoned then 1 else 0 end) as bigint) as ivr_abandoned,
        cast(sum(case when is_excluded then 1 else 0 end) as bigint) as excluded,
        cast(sum(case when is_outbound then 1 else 0 end) as bigint) as outbound,
        cast(sum(case when is_transferred_answer then 1 else 0 end) as bigint) as transferred,
        cast(sum(case when is_answered_with_transfer_known then 1 else 0 end) as bigint) as answered_with_transfer_known,
        cast(sum(case when counts_in_service_level_numerator then 1 else 0 end) as bigint) as service_level_numerator,
        cast(sum(case when counts_in_service_level_denominator then 1 else 0 end) as bigint) as service_level_denominator,
        cast(sum(case when counts_in_service_level_denominator and has_known_wait then 1 else 0 end) as bigint)
            as service_level_known_waits,
        cast(sum(case when counts_in_service_level_denominator and has_known_wait and is_within_threshold is null then 1 else 0 end) as bigint)
            as service_level_unknown_brackets,
        sum(case when is_answered then wait_seconds end) as wait_seconds_answered_sum,
        count(case when is_answered then wait_seconds end) as wait_seconds_answered_count,
        sum(case when is_answered then handle_seconds end) as handle_seconds_sum,
        count(case when is_answered then handle_seconds end) as handle_seconds_count,
        sum(case when is_answered then talk_seconds end) as talk_seconds_sum,
        count(case when is_answered then talk_seconds end) as talk_seconds_count,
        sum(case when is_answered then acw_seconds end) as acw_seconds_sum,
        count(case when is_answered then acw_seconds end) as acw_seconds_count,
        sum(case when is_abandoned then wait_seconds end) as wait_seconds_abandoned_sum,
        count(case when is_abandoned then wait_seconds end) as wait_seconds_abandoned_count,
        approx_percentile(case when is_answered then wait_seconds end, 0.9) as wait_p90_seconds,
        max(case when is_answered then wait_seconds end) as max_wait_seconds,
        cast(sum(case when is_inbound and has_customer_key then 1 else 0 end) as bigint) as inbound_with_key,
        cast(sum(case when is_inbound and has_customer_key and is_repeat then 1 else 0 end) as bigint) as repeats,
        cast(sum(case when is_abandoned and has_customer_key then 1 else 0 end) as bigint) as abandoned_with_key,
        cast(sum(case when is_abandoned and has_customer_key and is_retried then 1 else 0 end) as bigint) as retries,
        cast(sum(case when is_answered_with_key then 1 else 0 end) as bigint) as answered_with_key,
        cast(sum(case when is_answered_with_key and not is_followed_within_fcr_window then 1 else 0 end) as bigint)
            as first_contact_resolved,
        coalesce(bool_or(is_answered_with_key and is_fcr_window_open), false) as fcr_provisional
    from contacts_classified
    group by grouping sets ((client_id, dt, local_hour, channel), (client_id, dt, local_hour))
),

kpis_per_hour as (
    select
        k.client_id,
        k.dt,
        k.local_hour,
        k.channel,
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
        k.answered as answer_rate_numerator,
        k.offered - k.short_abandoned as answer_rate_denominator,
        cast(k.abandoned - k.short_abandoned as double) / nullif(cast(k.offered - k.short_abandoned as double), 0) as abandon_rate,
        k.abandoned - k.short_abandoned as abandon_rate_numerator,
        k.offered - k.short_abandoned as abandon_rate_denominator,
        -- unknown, not 0, when no contact of the base has a known wait, or a bracketed wait straddles T
        case
            when k.service_level_known_waits = 0 or k.service_level_unknown_brackets > 0 then null
            else cast(k.service_level_numerator as double) / nullif(cast(k.service_level_denominator as double), 0)
        end as service_level,
        k.service_level_numerator,
        k.service_level_denominator,
        k.service_level_known_waits,
        k.service_level_unknown_brackets,
        k.wait_seconds_answered_sum / nullif(cast(k.wait_seconds_answered_count as double), 0) as asa_seconds,
        k.wait_seconds_answered_sum as asa_seconds_numerator,
        k.wait_seconds_answered_count as asa_seconds_denominator,
        k.handle_seconds_sum / nullif(cast(k.handle_seconds_count as double), 0) as aht_seconds,
        k.handle_seconds_sum as aht_seconds_numerator,
        k.handle_seconds_count as aht_seconds_denominator,
        k.talk_seconds_sum / nullif(cast(k.talk_seconds_count as double), 0) as avg_talk_seconds,
        k.talk_seconds_sum as avg_talk_seconds_numerator,
        k.talk_seconds_count as avg_talk_seconds_denominator,
        k.acw_seconds_sum / nullif(cast(k.acw_seconds_count as double), 0) as avg_acw_seconds,
        k.acw_seconds_sum as avg_acw_seconds_numerator,
        k.acw_seconds_count as avg_acw_seconds_denominator,
        cast(k.wait_p90_seconds as double) as wait_p90_seconds,
        k.max_wait_seconds,
        k.wait_seconds_abandoned_sum / nullif(cast(k.wait_seconds_abandoned_count as double), 0) as avg_abandon_wait_seconds,
        k.wait_seconds_abandoned_sum as avg_abandon_wait_seconds_numerator,
        k.wait_seconds_abandoned_count as avg_abandon_wait_seconds_denominator,
        -- unknown, not 0, when no answered contact comes from a source that records transfers
        cast(k.transferred as double) / nullif(cast(k.answered_with_transfer_known as double), 0) as transfer_rate,
        k.transferred as transfer_rate_numerator,
        k.answered_with_transfer_known as transfer_rate_denominator,
        cast(k.self_service as double) / nullif(cast(k.self_service + k.offered as double), 0) as self_service_rate,
        k.self_service as self_service_rate_numerator,
        k.self_service + k.offered as self_service_rate_denominator,
        cast(k.ivr_abandoned as double) / nullif(cast(k.inbound as double), 0) as ivr_abandon_rate,
        k.ivr_abandoned as ivr_abandon_rate_numerator,
        k.inbound as ivr_abandon_rate_denominator,
        cast(k.repeats as double) / nullif(cast(k.inbound_with_key as double), 0) as repeat_rate,
        k.repeats as repeat_rate_numerator,
        k.inbound_with_key as repeat_rate_denominator,
        cast(k.retries as double) / nullif(cast(k.abandoned_with_key as double), 0) as retry_after_abandon_rate,
        k.retries as retry_after_abandon_rate_numerator,
        k.abandoned_with_key as retry_after_abandon_rate_denominator,
        cast(k.first_contact_resolved as double) / nullif(cast(k.answered_with_key as double), 0) as fcr,
        k.first_contact_resolved as fcr_numerator,
        k.answered_with_key as fcr_denominator,
        k.fcr_provisional
    from kpi_counts as k
)

select * from kpis_per_hour
