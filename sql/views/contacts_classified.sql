-- contacts_classified: every contact with what each KPI counts it as, judged as sql/kpis/contact_kpis.sql judges
-- it (definitions: docs/metrics.md), with the contract terms in force on its local date (contract_terms: T, S and
-- the service-level formula of its channel, the repeat, retry and FCR windows) and whether its source records
-- transfers (client_sources). kpi_daily and kpi_hourly add these flags up; an analyst can filter on them too
-- ("abandons that were not short", "answered within T").
--
-- Filter on client_id (Athena's partition projection requires it; the view passes it down to every read of the
-- lake) and dt. Repeat, retry-after-abandon and FCR look at the customer's other contacts before and after, so
-- they read the client's arrivals across all dates (customer_key and arrived_at only), whatever dt range is asked.
create or replace view contacts_classified as
with

contacts_with_terms as (
    select
        c.client_id,
        c.dt,
        c.local_hour,
        c.contact_id,
        c.channel,
        c.direction,
        c.outcome,
        c.category,
        c.queue,
        c.source,
        c.customer_key,
        c.agent_id,
        c.arrived_at,
        c.wait_seconds,
        c.wait_min_seconds,
        c.wait_max_seconds,
        c.talk_seconds,
        c.hold_seconds,
        c.acw_seconds,
        c.handle_seconds,
        c.is_transferred,
        c.direction = 'inbound' and c.outcome <> 'excluded' as is_inbound,
        coalesce(s.records_transfers, false) as records_transfers,
        t.service_level_seconds,
        t.short_abandon_seconds,
        t.service_level_formula,
        t.repeat_window_seconds,
        t.retry_window_seconds,
        t.fcr_window_seconds
    from contacts as c
    left join contract_terms as t
        on t.client_id = c.client_id and t.channel = c.channel and c.dt between t.applies_from and t.effective_to
    left join client_sources as s
        on s.client_id = c.client_id and s.source_id = c.source
),

-- Distinct arrival instants per customer, so that the neighbour found by lag/lead is strictly earlier/later:
-- a contact arriving at the same instant is neither a repeat of nor a follow-up to another.
customer_arrivals as (
    select
        client_id,
        customer_key,
        arrived_at,
        lag(arrived_at) over (partition by client_id, customer_key order by arrived_at) as previous_arrived_at,
        lead(arrived_at) over (partition by client_id, customer_key order by arrived_at) as next_arrived_at
    from (
        select distinct client_id, customer_key, arrived_at
        from contacts
        where direction = 'inbound' and outcome <> 'excluded' and customer_key is not null
    ) as distinct_arrivals
),

newest_contact_per_client as (
    select client_id, max(arrived_at) as newest_arrived_at
    from contacts
    group by client_id
),

contacts_flagged as (
    select
        c.client_id,
        c.dt,
        c.local_hour,
        c.contact_id,
        c.channel,
        c.direction,
        c.outcome,
        c.category,
        c.queue,
        c.source,
        c.customer_key,
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
        c.service_level_seconds,
        c.short_abandon_seconds,
        c.service_level_formula,
        c.is_inbound,
        c.is_inbound and c.outcome in ('answered', 'abandoned', 'callback_requested') as is_offered,
        c.is_inbound and c.outcome = 'answered' as is_answered,
        c.is_inbound and c.outcome = 'abandoned' as is_abandoned,
        c.is_inbound and c.outcome = 'abandoned'
            and coalesce(c.wait_seconds < c.short_abandon_seconds, false) as is_short_abandon,
        c.is_inbound and c.outcome = 'callback_requested' as is_callback,
        c.is_inbound and c.outcome = 'self_service' as is_self_service,
        c.is_inbound and c.outcome = 'ivr_abandoned' as is_ivr_abandoned,
        c.outcome = 'excluded' as is_excluded,
        c.direction = 'outbound' and c.outcome <> 'excluded' as is_outbound,
        c.is_inbound and c.outcome = 'answered' and c.records_transfers as is_answered_with_transfer_known,
        c.is_inbound and c.outcome = 'answered' and c.records_transfers and c.is_transferred as is_transferred_answer,
        -- a wait known only as a bracket is within T when its upper edge is at most T, beyond it when its lower
        -- edge is at least T, and unknown (null) when T falls inside it
        case
            when c.wait_seconds is not null then c.wait_seconds <= c.service_level_seconds
            when c.wait_max_seconds is not null and c.wait_max_seconds <= c.service_level_seconds then true
            when c.wait_min_seconds is not null and c.wait_min_seconds >= c.service_level_seconds then false
            when c.wait_min_seconds is not null then null
            else false
        end as is_within_threshold,
        c.wait_seconds is not null or c.wait_min_seconds is not null as has_known_wait,
        c.customer_key is not null as has_customer_key,
        a.previous_arrived_at,
        a.next_arrived_at,
        a.previous_arrived_at is not null
            and to_unixtime(a.previous_arrived_at) >= to_unixtime(c.arrived_at) - c.repeat_window_seconds as is_repeat,
        a.next_arrived_at is not null
            and to_unixtime(a.next_arrived_at) <= to_unixtime(c.arrived_at) + c.retry_window_seconds as is_retried,
        a.next_arrived_at is not null
            and to_unixtime(a.next_arrived_at) <= to_unixtime(c.arrived_at) + c.fcr_window_seconds as is_followed_within_fcr_window,
        -- the FCR window reaches past the newest contact of the client in the lake: no answer yet
        to_unixtime(c.arrived_at) + c.fcr_window_seconds > to_unixtime(n.newest_arrived_at) as is_fcr_window_open
    from contacts_with_terms as c
    inner join newest_contact_per_client as n on n.client_id = c.client_id
    left join customer_arrivals as a
        on a.client_id = c.client_id and a.customer_key = c.customer_key and a.arrived_at = c.arrived_at
),

-- Amazon Connect's "Service level X seconds" counts a contact removed from the queue within X, whether an agent
-- answered it, the customer abandoned it or the customer requested a callback, over the contacts queued
-- (https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html#service-level-historical).
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
    from contacts_flagged
)

select * from contacts_judged
