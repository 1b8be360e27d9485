-- The voice of the customer of the period (고객 의견): every answered survey that carries a comment or scores low,
-- one row per contact (a CSAT and an NPS question about one contact are one voice), with the contact's category.
-- "Low" is the bottom of each scale: CSAT in the lowest quarter (≤ 2 on 1-5), NPS detractors (0-6 on 0-10), CES
-- high effort (the lowest third: 1-3 on 1-7). The report shows the lowest-scored comments first, counts every
-- low answer and its categories, then the newest comments; the XLSX lists them all. Comments are cut to 500
-- characters here; they were masked (phone numbers, e-mails) before they reached the lake.
--
-- Positional parameters, in this order, all in WHERE clauses:
--   1      client_id
--   2-3    the current period (start dt, end dt) of the surveys
--   4      client_id
--   5-6    the dt range of the contacts they are about: the period and the week before (a survey follows its contact)
with

answers_in_period as (
    select survey_id, contact_id, channel, survey_type, score, scale_min, scale_max, responded_at, comment
    from surveys
    where client_id = ? and dt between ? and ? and score is not null
),

contacts_answered_about as (
    select contact_id, max(category) as category
    from contacts
    where client_id = ? and dt between ? and ?
    group by contact_id
),

answers_judged as (
    select
        *,
        case
            when survey_type = 'csat' then score <= scale_min + (scale_max - scale_min) * 0.25
            when survey_type = 'nps' then score <= 6
            when survey_type = 'ces' then score <= scale_min + (scale_max - scale_min) / 3.0
            else false
        end as is_low,
        -- 0 the worst score of its scale, 1 the best: the order the lowest-scored come first in
        case when scale_max > scale_min then cast(score - scale_min as double) / (scale_max - scale_min) end as score_position
    from answers_in_period
),

voices_per_contact as (
    select
        max(a.responded_at) as responded_at,
        a.channel,
        max(case when a.survey_type = 'csat' then a.score end) as csat_score,
        max(case when a.survey_type = 'nps' then a.score end) as nps_score,
        max(case when a.survey_type = 'ces' then a.score end) as ces_score,
        bool_or(a.is_low) as is_low,
        min(a.score_position) as worst_position,
        max(substr(a.comment, 1, 500)) as comment,
        max(c.category) as category
    from answers_judged as a
    left join contacts_answered_about as c on a.contact_id = c.contact_id
    group by coalesce(a.contact_id, a.survey_id), a.channel
)

select * from voices_per_contact
where is_low or (comment is not null and trim(comment) <> '')
order by is_low desc, worst_position, responded_at desc, comment
