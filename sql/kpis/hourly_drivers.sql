-- Contacts per channel, local date and local hour, with what the causes of a missed target and the staffing plan
-- need: the service-level numerator and denominator of the contract's formula, answered waits, handle times and
-- the agents who answered in that hour. The report picks the open days of the period and of its baseline from
-- these rows (functions/core/kpis/hourly-drivers.ts); definitions: docs/metrics.md.
--
-- Slots (`{{ }}`, literals from the validated contract version in force): per channel the service-level
-- threshold T and short-abandon threshold S in seconds and the service-level formula.
--
-- Positional parameters, in this order, all in the WHERE clause:
--   1      client_id
--   2-3    dt range: the baseline before the period (and, for weekly and monthly reports, the weeks the staffing
--          forecast reads) through the end of the period
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

contacts_in_range as (
    select channel, dt, local_hour, outcome, agent_id, wait_seconds, wait_min_seconds, wait_max_seconds,
        talk_seconds, hold_seconds, acw_seconds, handle_seconds
    from contacts
    where client_id = ? and dt between ? and ? and direction = 'inbound' and outcome <> 'excluded'
),

contacts_classified as (
    select
        c.channel,
        c.dt,
        c.local_hour,
        c.agent_id,
        c.wait_seconds,
        coalesce(
            c.handle_seconds,
            case
                when c.talk_seconds is null and c.hold_seconds is null and c.acw_seconds is null then null
                else coalesce(c.talk_seconds, 0) + coalesce(c.hold_seconds, 0) + coalesce(c.acw_seconds, 0)
            end
        ) as handle_seconds,
        c.outcome in ('answered', 'abandoned', 'callback_requested') as is_offered,
        c.outcome = 'answered' as is_answered,
        c.outcome = 'abandoned' as is_abandoned,
        c.outcome = 'abandoned' and coalesce(c.wait_seconds < p.short_abandon_seconds, false) as is_short_abandon,
        c.outcome = 'callback_requested' as is_callback,
        case
            when c.wait_seconds is not null then c.wait_seconds <= p.service_level_seconds
            when c.wait_max_seconds is not null and c.wait_max_seconds <= p.service_level_seconds then true
            when c.wait_min_seconds is not null and c.wait_min_seconds >= p.service_level_seconds then false
            when c.wait_min_seconds is not null then null
            else false
        end as is_within_threshold,
        p.service_level_formula
    from contacts_in_range as c
    inner join contract_channel_parameters as p on c.channel = p.channel
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

hourly_drivers as (
    select
        channel,
        dt,
        local_hour,
        sum(case when is_offered then 1 else 0 end) as offered,
        sum(case when is_answered then 1 else 0 end) as answered,
        sum(case when is_abandoned then 1 else 0 end) as abandoned,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned,
        sum(case when counts_in_service_level_numerator then 1 else 0 end) as service_level_numerator,
        sum(case when counts_in_service_level_denominator then 1 else 0 end) as service_level_denominator,
        sum(case when is_answered then coalesce(wait_seconds, 0) else 0 end) as answered_wait_seconds,
        sum(case when is_answered and handle_seconds is not null then handle_seconds else 0 end) as handle_seconds,
        sum(case when is_answered and handle_seconds is not null then 1 else 0 end) as handled,
        count(distinct case when is_answered then agent_id end) as agents
    from contacts_judged
    group by channel, dt, local_hour
)

select * from hourly_drivers
order by channel, dt, local_hour
