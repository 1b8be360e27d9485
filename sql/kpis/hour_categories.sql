-- Inbound contacts per channel, local hour and category, in the report period and in its usual days (the same
-- weekday of the four weeks before for a daily report, the four weeks before for a weekly or monthly one): which
-- category grew in the hours that made a missed target (functions/core/kpis/hourly-drivers.ts).
--
-- Slots (`{{ }}`, YYYY-MM-DD dates and a number): the period (current_start, current_end), the usual days
-- (usual_start, usual_end) and usual_weekday, the ISO weekday (1 = Monday) the usual days are limited to, or 0 for
-- every day.
--
-- Positional parameters, in this order, all in the WHERE clause:
--   1      client_id
--   2-3    dt range: the usual days' start through the period's end
with

contacts_in_range as (
    select channel, dt, local_hour, category
    from contacts
    where client_id = ? and dt between ? and ? and direction = 'inbound' and outcome <> 'excluded' and category is not null
),

contacts_in_periods as (
    select
        channel,
        local_hour,
        category,
        case
            when dt between {{current_start}} and {{current_end}} then 'current'
            when dt between {{usual_start}} and {{usual_end}}
                and ({{usual_weekday}} = 0 or day_of_week(cast(dt as date)) = {{usual_weekday}}) then 'usual'
        end as period_name
    from contacts_in_range
),

category_counts as (
    select period_name, channel, local_hour, category, count(*) as contacts
    from contacts_in_periods
    where period_name is not null
    group by period_name, channel, local_hour, category
)

select * from category_counts
order by period_name, channel, local_hour, category
