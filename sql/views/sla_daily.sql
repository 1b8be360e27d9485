-- sla_daily: each contract target judged on each day, as the report judges a period (functions/core/kpis/sla.ts):
-- the target in force that day (contract_targets), the day's value of its KPI for its channel ('all' for a target
-- of every channel) from kpi_daily, met or missed, and the margin signed so that positive is good (>=: actual -
-- target; <=: target - actual). A day without the KPI's data (no contact of the channel, no survey) has no row
-- for a channel target and a null actual otherwise: it is not judged. The numerator and denominator of the actual
-- are beside it, so that a week's actual is sum(actual_numerator) / sum(actual_denominator) (for service_level,
-- the rule of kpi_daily applies).
--
-- Days met: count(*) filter (where is_met) over the days judged. The report's monthly "days met" also leaves out
-- the days the channel was closed (docs/calendar.md), which this view does not know: a closed day with contacts
-- counts here.
--
-- Filter on client_id (Athena's partition projection requires it) and dt.
create or replace view sla_daily as
with

targets_with_actuals as (
    select
        k.client_id,
        k.dt,
        t.effective_from,
        t.target_index,
        t.kpi,
        k.channel,
        t.op,
        t.target_value,
        case t.kpi
            when 'answer_rate' then k.answer_rate
            when 'abandon_rate' then k.abandon_rate
            when 'service_level' then k.service_level
            when 'asa_seconds' then k.asa_seconds
            when 'aht_seconds' then k.aht_seconds
            when 'fcr' then k.fcr
            when 'repeat_rate' then k.repeat_rate
            when 'csat_avg' then k.csat_avg
            when 'csat_satisfied_rate' then k.csat_satisfied_rate
            when 'nps' then k.nps
            when 'ces_avg' then k.ces_avg
            when 'cost_per_contact' then k.cost_per_contact
            when 'transfer_rate' then k.transfer_rate
            when 'self_service_rate' then k.self_service_rate
        end as actual,
        case t.kpi
            when 'answer_rate' then cast(k.answer_rate_numerator as double)
            when 'abandon_rate' then cast(k.abandon_rate_numerator as double)
            when 'service_level' then cast(k.service_level_numerator as double)
            when 'asa_seconds' then k.asa_seconds_numerator
            when 'aht_seconds' then k.aht_seconds_numerator
            when 'fcr' then cast(k.fcr_numerator as double)
            when 'repeat_rate' then cast(k.repeat_rate_numerator as double)
            when 'csat_avg' then k.csat_avg_numerator
            when 'csat_satisfied_rate' then cast(k.csat_satisfied_rate_numerator as double)
            when 'nps' then k.nps_numerator
            when 'ces_avg' then k.ces_avg_numerator
            when 'cost_per_contact' then k.daily_cost
            when 'transfer_rate' then cast(k.transfer_rate_numerator as double)
            when 'self_service_rate' then cast(k.self_service_rate_numerator as double)
        end as actual_numerator,
        case t.kpi
            when 'answer_rate' then k.answer_rate_denominator
            when 'abandon_rate' then k.abandon_rate_denominator
            when 'service_level' then k.service_level_denominator
            when 'asa_seconds' then k.asa_seconds_denominator
            when 'aht_seconds' then k.aht_seconds_denominator
            when 'fcr' then k.fcr_denominator
            when 'repeat_rate' then k.repeat_rate_denominator
            when 'csat_avg' then k.csat_avg_denominator
            when 'csat_satisfied_rate' then k.csat_satisfied_rate_denominator
            when 'nps' then k.nps_denominator
            when 'ces_avg' then k.ces_avg_denominator
            when 'cost_per_contact' then k.answered
            when 'transfer_rate' then k.transfer_rate_denominator
            when 'self_service_rate' then k.self_service_rate_denominator
        end as actual_denominator
    from kpi_daily as k
    inner join contract_targets as t
        on t.client_id = k.client_id and k.channel = coalesce(t.channel, 'all') and k.dt between t.applies_from and t.effective_to
),

targets_judged as (
    select
        *,
        case
            when actual is null then null
            when op = '>=' then actual >= target_value
            else actual <= target_value
        end as is_met,
        case
            when actual is null then null
            when op = '>=' then actual - target_value
            else target_value - actual
        end as margin
    from targets_with_actuals
)

select * from targets_judged
