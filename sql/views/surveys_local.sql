-- surveys_local: survey responses with readable labels, the score on a 0-1 scale and the local time of the
-- answer in the client's zone (client_settings; null for a client without a config), for ad hoc queries. dt is
-- the local date of responded_at (a survey belongs to that date's period). Filter on client_id and dt.
create or replace view surveys_local as
with

surveys_labelled as (
    select
        s.*,
        case s.survey_type when 'csat' then '고객만족도' when 'nps' then '순추천지수' when 'ces' then '고객노력점수' end
            as survey_type_ko,
        case s.survey_type when 'csat' then 'CSAT' when 'nps' then 'NPS' when 'ces' then 'CES' end as survey_type_en,
        case s.channel
            when 'phone' then '전화' when 'chat' then '채팅' when 'board' then '게시판' when 'email' then '이메일'
        end as channel_ko,
        (s.score - s.scale_min) / nullif(cast(s.scale_max - s.scale_min as double), 0) as score_normalized,
        case
            when s.survey_type = 'nps' and s.score >= 9 then 'promoter'
            when s.survey_type = 'nps' and s.score >= 7 then 'passive'
            when s.survey_type = 'nps' then 'detractor'
        end as nps_group
    from surveys as s
),

surveys_with_local_time as (
    select
        l.*,
        cast(from_unixtime(to_unixtime(l.responded_at), z.timezone) as timestamp) as responded_at_local
    from surveys_labelled as l
    left join client_settings as z on z.client_id = l.client_id
)

select * from surveys_with_local_time
