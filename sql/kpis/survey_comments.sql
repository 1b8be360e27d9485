-- The newest free-text comments customers left in the period's surveys (고객 의견), newest first, for the
-- report's survey section. Several answers about one contact (a CSAT and an NPS question) carrying the same
-- comment are one comment. Comments are cut to 500 characters here: the report shows a few short lines.
--
-- Positional parameters, in this order, all in the WHERE clause:
--   1      client_id
--   2-3    the current period (start dt, end dt)
with

comments_in_period as (
    select survey_id, contact_id, channel, survey_type, score, responded_at, comment
    from surveys
    where client_id = ? and dt between ? and ? and comment is not null and trim(comment) <> ''
),

comments_per_contact as (
    select
        max(responded_at) as responded_at,
        channel,
        max(case when survey_type = 'csat' then score end) as csat_score,
        max(case when survey_type = 'nps' then score end) as nps_score,
        max(case when survey_type = 'ces' then score end) as ces_score,
        substr(comment, 1, 500) as comment
    from comments_in_period
    group by coalesce(contact_id, survey_id), channel, substr(comment, 1, 500)
)

select * from comments_per_contact
order by responded_at desc, comment
limit 5
