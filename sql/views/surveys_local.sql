-- surveys_local: survey responses with readable labels and the score on a 0-1 scale, for ad hoc queries.
-- dt is the local date of responded_at (a survey belongs to that date's period). Filter on client_id and dt.
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
)

select * from surveys_labelled
