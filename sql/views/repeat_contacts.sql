-- repeat_contacts: each repeat contact (버블호, docs/metrics.md) with the contact it repeats. A contact is a repeat
-- when its customer had another inbound contact, on any channel, in [arrived_at - repeat window, arrived_at), the
-- window of the contract version in force on the repeat's date (contract_terms); its earlier contact is the
-- customer's latest such contact (of several at that same instant, the smallest contact_id). Counted per day, the
-- repeats here are kpi_daily's repeat_rate_numerator.
--
-- Filter on client_id (Athena's partition projection requires it) and dt (the repeat's date). The earlier contact
-- may lie before the dt range asked: the view reads the client's inbound contacts with a customer key across all
-- dates to find it.
create or replace view repeat_contacts as
with

inbound_contacts_with_key as (
    select client_id, dt, local_hour, contact_id, channel, category, outcome, customer_key, agent_id, arrived_at
    from contacts
    where direction = 'inbound' and outcome <> 'excluded' and customer_key is not null
),

-- distinct instants, so that the previous one is strictly earlier (same-instant contacts are not repeats)
customer_arrivals as (
    select
        client_id,
        customer_key,
        arrived_at,
        lag(arrived_at) over (partition by client_id, customer_key order by arrived_at) as previous_arrived_at
    from (select distinct client_id, customer_key, arrived_at from inbound_contacts_with_key) as distinct_arrivals
),

repeats_found as (
    select
        c.client_id,
        c.dt,
        c.local_hour,
        c.contact_id,
        c.channel,
        c.category,
        c.outcome,
        c.agent_id,
        c.customer_key,
        c.arrived_at,
        a.previous_arrived_at,
        t.repeat_window_seconds
    from inbound_contacts_with_key as c
    inner join customer_arrivals as a
        on a.client_id = c.client_id and a.customer_key = c.customer_key and a.arrived_at = c.arrived_at
    inner join contract_terms as t
        on t.client_id = c.client_id and t.channel = c.channel and c.dt between t.applies_from and t.effective_to
    where a.previous_arrived_at is not null
        and to_unixtime(a.previous_arrived_at) >= to_unixtime(c.arrived_at) - t.repeat_window_seconds
),

earlier_contacts as (
    select
        client_id,
        customer_key,
        arrived_at,
        dt,
        contact_id,
        channel,
        category,
        outcome,
        row_number() over (partition by client_id, customer_key, arrived_at order by contact_id) as rank_at_instant
    from inbound_contacts_with_key
),

repeats_with_earlier_contact as (
    select
        r.client_id,
        r.dt,
        r.local_hour,
        r.contact_id,
        r.channel,
        r.category,
        r.outcome,
        r.agent_id,
        r.customer_key,
        r.arrived_at,
        e.contact_id as earlier_contact_id,
        e.dt as earlier_dt,
        e.channel as earlier_channel,
        e.category as earlier_category,
        e.outcome as earlier_outcome,
        e.arrived_at as earlier_arrived_at,
        to_unixtime(r.arrived_at) - to_unixtime(e.arrived_at) as seconds_since_earlier,
        r.repeat_window_seconds
    from repeats_found as r
    inner join earlier_contacts as e
        on e.client_id = r.client_id and e.customer_key = r.customer_key and e.arrived_at = r.previous_arrived_at
    where e.rank_at_instant = 1
)

select * from repeats_with_earlier_contact
