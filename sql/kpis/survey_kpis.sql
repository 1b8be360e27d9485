-- Survey KPIs (CSAT, NPS, CES, responses) per report period × channel and per period (all channels), and per
-- period × local date (× channel). A survey belongs to the period of its responded_at local date, which is
-- its dt partition. Definitions: docs/metrics.md.
--
-- `{{ }}` slots, filled with SQL literals (functions/core/sql/sql-literal.ts; Athena takes execution parameters only in WHERE):
-- the CSAT "satisfied" minimum score (4 on a 1-5 scale), the CES "low effort" minimum score (5 on a 1-7 scale),
-- and the (start dt, end dt) of the periods current, prior, week_ago and trend (unused: start > end).
--
-- Positional parameters, in this order, all in the WHERE clause:
--   1      client_id
--   2-3    scan range of dt (the union of the periods)
with

survey_thresholds as (
    select {{csat_satisfied_min}} as csat_satisfied_min, {{ces_low_effort_min}} as ces_low_effort_min
),

report_periods as (
    select period_name, start_dt, end_dt
    from (
        values
            ('current', {{current_start}}, {{current_end}}),
            ('prior', {{prior_start}}, {{prior_end}}),
            ('week_ago', {{week_ago_start}}, {{week_ago_end}}),
            ('trend', {{trend_start}}, {{trend_end}})
    ) as periods (period_name, start_dt, end_dt)
),

-- a survey without a score was offered and not answered (a ticket export's "Offered"): no response
surveys_in_scan as (
    select survey_id, contact_id, channel, survey_type, score, dt
    from surveys
    where client_id = ? and dt between ? and ? and score is not null
),

surveys_in_periods as (
    select p.period_name, s.*
    from surveys_in_scan as s
    inner join report_periods as p on s.dt between p.start_dt and p.end_dt
),

survey_counts as (
    select
        period_name,
        case when grouping(dt) = 0 then 'day' else 'period' end as grain,
        case when grouping(channel) = 0 then coalesce(channel, 'unknown') else 'all' end as channel_group,
        dt,
        -- several answers about one contact (a CSAT and an NPS question) are one response to the survey
        count(distinct coalesce(contact_id, survey_id)) as survey_responses,
        sum(case when survey_type = 'csat' then 1 else 0 end) as csat_responses,
        avg(case when survey_type = 'csat' then score end) as csat_avg,
        sum(case when survey_type = 'csat' and score >= t.csat_satisfied_min then 1 else 0 end) as csat_satisfied,
        sum(case when survey_type = 'nps' then 1 else 0 end) as nps_responses,
        sum(case when survey_type = 'nps' and score >= 9 then 1 else 0 end) as nps_promoters,
        sum(case when survey_type = 'nps' and score <= 6 then 1 else 0 end) as nps_detractors,
        sum(case when survey_type = 'ces' then 1 else 0 end) as ces_responses,
        avg(case when survey_type = 'ces' then score end) as ces_avg,
        sum(case when survey_type = 'ces' and score >= t.ces_low_effort_min then 1 else 0 end) as ces_low_effort
    from surveys_in_periods
    cross join survey_thresholds as t
    group by grouping sets ((period_name, channel), (period_name), (period_name, dt, channel), (period_name, dt))
),

survey_kpis_per_group as (
    select
        period_name,
        grain,
        channel_group,
        dt,
        survey_responses,
        csat_responses,
        csat_avg,
        cast(csat_satisfied as double) / nullif(cast(csat_responses as double), 0) as csat_satisfied_rate,
        nps_responses,
        100 * cast(nps_promoters - nps_detractors as double) / nullif(cast(nps_responses as double), 0) as nps,
        ces_responses,
        ces_avg,
        cast(ces_low_effort as double) / nullif(cast(ces_responses as double), 0) as ces_low_effort_rate
    from survey_counts
)

select * from survey_kpis_per_group
order by period_name, grain, channel_group, dt
