-- contacts_local: contacts with local wall-clock times and readable Korean / English labels, for ad hoc
-- queries (Athena and `cspulse query`). Like every query on the lake, filter on client_id (Athena's partition
-- projection requires it) and dt.
--
-- A local time is the instant's wall clock in the client's zone (client_settings), computed the same way on both
-- engines and independent of the session's time zone: cast(from_unixtime(to_unixtime(t), zone) as timestamp)
-- (docs/metrics.md, "Engine differences"), DST included. For a client without a config (no zone known) the time is
-- rebuilt from dt and local_hour, the local date and hour the ingest derived in the client's zone, with the
-- instant's minutes and seconds: right in every whole-hour zone, off by the offset's minutes in India or Nepal.
-- Local times are zone-less timestamps.
create or replace view contacts_local as
with

contacts_with_zone as (
    select c.*, z.timezone as client_timezone
    from contacts as c
    left join client_settings as z on z.client_id = c.client_id
),

contacts_with_local_arrival as (
    select
        *,
        coalesce(
            cast(from_unixtime(to_unixtime(arrived_at), client_timezone) as timestamp),
            date_add(
                'millisecond',
                cast(local_hour as bigint) * 3600000
                    + cast(round((to_unixtime(arrived_at) - to_unixtime(date_trunc('hour', arrived_at))) * 1000) as bigint),
                cast(cast(dt as date) as timestamp)
            )
        ) as arrived_at_local
    from contacts_with_zone
),

contacts_labelled as (
    select
        *,
        coalesce(
            cast(from_unixtime(to_unixtime(answered_at), client_timezone) as timestamp),
            date_add('millisecond', cast(round((to_unixtime(answered_at) - to_unixtime(arrived_at)) * 1000) as bigint), arrived_at_local)
        ) as answered_at_local,
        coalesce(
            cast(from_unixtime(to_unixtime(ended_at), client_timezone) as timestamp),
            date_add('millisecond', cast(round((to_unixtime(ended_at) - to_unixtime(arrived_at)) * 1000) as bigint), arrived_at_local)
        ) as ended_at_local,
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
