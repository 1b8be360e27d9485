-- kpi_daily: every KPI of docs/metrics.md per client, local date (dt) and channel, computed as the report computes
-- it (sql/kpis/contact_kpis.sql, sql/kpis/survey_kpis.sql, functions/core/kpis/cost.ts), each day with the contract
-- terms in force on it (contract_terms). channel is phone, chat, board or email, 'all' for every channel together
-- (the report's total: a contact is judged with its own channel's terms, the totals add up the channels), and
-- 'unknown' for surveys without a channel (they count in 'all' only).
--
-- Beside each rate or mean KPI stand its `<kpi>_numerator` and `<kpi>_denominator`, so that a period is exact:
-- sum(<kpi>_numerator) / sum(<kpi>_denominator) over the days of a week equals the weekly report's figure.
-- Exceptions, each with its own rule (docs/metrics.md, "Analyst views"):
-- - service_level is null when sum(service_level_known_waits) = 0 or sum(service_level_unknown_brackets) > 0;
-- - max_wait_seconds: max over the days; fcr_provisional: true when any day's is;
-- - wait_p90_seconds is a day's own percentile: a period's needs the contacts (contacts_classified);
-- - contacts_per_day over a period: sum(answered) / the period's calendar days;
-- - cost_per_contact (all channels only): sum(daily_cost) / sum(answered), when every day of the period has a row.
--
-- Filter on client_id (Athena's partition projection requires it) and dt.
create or replace view kpi_daily as
with

-- contacts and survey answers as one stream, so that a day with surveys but no contact (a weekend answer to a
-- Friday call) still has its row, and the lake is read once per table
kpi_inputs as (
    select
        client_id, dt, channel, agent_id, wait_seconds, talk_seconds, acw_seconds, handle_seconds,
        is_inbound, is_offered, is_answered, is_abandoned, is_short_abandon, is_callback, is_self_service,
        is_ivr_abandoned, is_excluded, is_outbound, is_answered_with_transfer_known, is_transferred_answer,
        is_within_threshold, has_known_wait, has_customer_key, is_repeat, is_retried, is_followed_within_fcr_window,
        is_fcr_window_open, counts_in_service_level_numerator, counts_in_service_level_denominator, is_answered_with_key,
        cast(null as varchar) as survey_type,
        cast(null as double) as score,
        cast(null as varchar) as survey_response_key,
        cast(null as double) as csat_satisfied_min,
        cast(null as double) as ces_low_effort_min
    from contacts_classified
    union all
    -- a survey without a score was offered and not answered (a ticket export's "Offered"): no response
    select
        s.client_id, s.dt, coalesce(s.channel, 'unknown') as channel, cast(null as varchar) as agent_id,
        cast(null as double) as wait_seconds, cast(null as double) as talk_seconds, cast(null as double) as acw_seconds,
        cast(null as double) as handle_seconds,
        false, false, false, false, false, false, false,
        false, false, false, false, false,
        cast(null as boolean), false, false, false, false, false,
        false, false, false, false,
        s.survey_type,
        s.score,
        -- several answers about one contact (a CSAT and an NPS question) are one response to the survey
        coalesce(s.contact_id, s.survey_id) as survey_response_key,
        t.csat_satisfied_min,
        t.ces_low_effort_min
    from surveys as s
    left join (
        select distinct client_id, applies_from, effective_to, csat_satisfied_min, ces_low_effort_min
        from contract_terms
    ) as t
        on t.client_id = s.client_id and s.dt between t.applies_from and t.effective_to
    where s.score is not null
),

kpi_counts as (
    select
        client_id,
        dt,
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
        coalesce(bool_or(is_answered_with_key and is_fcr_window_open), false) as fcr_provisional,
        count(distinct case when is_answered and agent_id is not null then agent_id end) as agent_days,
        count(distinct survey_response_key) as survey_responses,
        cast(sum(case when survey_type = 'csat' then 1 else 0 end) as bigint) as csat_responses,
        sum(case when survey_type = 'csat' then score end) as csat_score_sum,
        cast(sum(case when survey_type = 'csat' and score >= csat_satisfied_min then 1 else 0 end) as bigint) as csat_satisfied,
        cast(sum(case when survey_type = 'nps' then 1 else 0 end) as bigint) as nps_responses,
        cast(sum(case when survey_type = 'nps' and score >= 9 then 1 else 0 end) as bigint) as nps_promoters,
        cast(sum(case when survey_type = 'nps' and score <= 6 then 1 else 0 end) as bigint) as nps_detractors,
        cast(sum(case when survey_type = 'ces' then 1 else 0 end) as bigint) as ces_responses,
        sum(case when survey_type = 'ces' then score end) as ces_score_sum,
        cast(sum(case when survey_type = 'ces' and score >= ces_low_effort_min then 1 else 0 end) as bigint) as ces_low_effort
    from kpi_inputs
    group by grouping sets ((client_id, dt, channel), (client_id, dt))
),

kpis_per_day as (
    select
        k.client_id,
        k.dt,
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
        k.fcr_provisional,
        cast(k.answered as double) as contacts_per_day,
        cast(k.answered as double) / nullif(cast(k.agent_days as double), 0) as contacts_per_agent_day,
        k.answered as contacts_per_agent_day_numerator,
        k.agent_days as contacts_per_agent_day_denominator,
        k.csat_score_sum / nullif(cast(k.csat_responses as double), 0) as csat_avg,
        k.csat_score_sum as csat_avg_numerator,
        k.csat_responses as csat_avg_denominator,
        cast(k.csat_satisfied as double) / nullif(cast(k.csat_responses as double), 0) as csat_satisfied_rate,
        k.csat_satisfied as csat_satisfied_rate_numerator,
        k.csat_responses as csat_satisfied_rate_denominator,
        k.csat_responses,
        100 * cast(k.nps_promoters - k.nps_detractors as double) / nullif(cast(k.nps_responses as double), 0) as nps,
        100 * cast(k.nps_promoters - k.nps_detractors as double) as nps_numerator,
        k.nps_responses as nps_denominator,
        k.nps_promoters,
        k.nps_detractors,
        k.nps_responses,
        k.ces_score_sum / nullif(cast(k.ces_responses as double), 0) as ces_avg,
        k.ces_score_sum as ces_avg_numerator,
        k.ces_responses as ces_avg_denominator,
        cast(k.ces_low_effort as double) / nullif(cast(k.ces_responses as double), 0) as ces_low_effort_rate,
        k.ces_low_effort as ces_low_effort_rate_numerator,
        k.ces_responses as ces_low_effort_rate_denominator,
        k.ces_responses,
        cast(k.survey_responses as double) / nullif(cast(k.answered as double), 0) as survey_response_rate,
        k.survey_responses as survey_response_rate_numerator,
        k.answered as survey_response_rate_denominator,
        -- the day's share of the monthly cost (cost.ts), from the version in force that day, counted from its
        -- effective_from; a whole-service figure, so on the all-channel row only
        case when k.channel = 'all' and k.dt >= c.effective_from then c.monthly_cost / day(last_day_of_month(cast(k.dt as date))) end
            as daily_cost,
        case when k.channel = 'all' and k.dt >= c.effective_from then c.monthly_cost / day(last_day_of_month(cast(k.dt as date))) end
            / nullif(cast(k.answered as double), 0) as cost_per_contact
    from kpi_counts as k
    left join (select distinct client_id, effective_from, applies_from, effective_to, monthly_cost from contract_terms) as c
        on c.client_id = k.client_id and k.dt between c.applies_from and c.effective_to
)

select * from kpis_per_day
