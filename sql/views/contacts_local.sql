-- contacts_local: contacts with local wall-clock times and readable Korean / English labels, for ad hoc
-- queries (Athena and `cspulse query`). Like every query on the lake, filter on client_id (Athena's partition
-- projection requires it) and dt.
--
-- The local time needs no zone table: dt is the local date and local_hour the local hour the ingest derived in
-- the client's zone, and minutes and seconds are the same in every whole-hour zone. (Zones with a 30- or
-- 45-minute offset, such as India, would need the offset: this view is not for them.) answered_at_local and
-- ended_at_local keep their distance to arrived_at. Local times are zone-less wall-clock timestamps.
create or replace view contacts_local as
with

contacts_with_local_arrival as (
    select
        c.*,
        date_add(
            'millisecond',
            cast(c.local_hour as bigint) * 3600000
                + cast(round((to_unixtime(c.arrived_at) - to_unixtime(date_trunc('hour', c.arrived_at))) * 1000) as bigint),
            cast(cast(c.dt as date) as timestamp)
        ) as arrived_at_local
    from contacts as c
),

contacts_labelled as (
    select
        *,
        date_add('millisecond', cast(round((to_unixtime(answered_at) - to_unixtime(arrived_at)) * 1000) as bigint), arrived_at_local)
            as answered_at_local,
        date_add('millisecond', cast(round((to_unixtime(ended_at) - to_unixtime(arrived_at)) * 1000) as bigint), arrived_at_local)
            as ended_at_local,
        day_of_week(cast(dt as date)) as iso_weekday,
        case channel
            when 'phone' then '전화' when 'chat' then '채팅' when 'board' then '게시판' when 'email' then '이메일'
        end as channel_ko,
        case channel
            when 'phone' then 'Phone' when 'chat' then 'Chat' when 'board' then 'Board' when 'email' then 'E-mail'
        end as channel_en,
        case direction when 'inbound' then '인입' when 'outbound' then '발신' end as direction_ko,
        case direction when 'inbound' then 'Inbound' when 'outbound' then 'Outbound' end as direction_en,
        case outcome
            when 'answered' then '응대'
            when 'abandoned' then '포기'
            when 'callback_requested' then '콜백 요청'
            when 'ivr_abandoned' then 'IVR 이탈'
            when 'self_service' then '셀프서비스 해결'
            when 'excluded' then '제외'
        end as outcome_ko,
        case outcome
            when 'answered' then 'Answered'
            when 'abandoned' then 'Abandoned'
            when 'callback_requested' then 'Callback requested'
            when 'ivr_abandoned' then 'Left in the IVR'
            when 'self_service' then 'Self-service'
            when 'excluded' then 'Excluded'
        end as outcome_en
    from contacts_with_local_arrival
)

select * from contacts_labelled
