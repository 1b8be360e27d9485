-- Category mix (상담 유형) of inbound contacts: count and share per category in the current period, the change
-- against the prior period, and a spike flag against a trailing baseline of four periods: for a daily report
-- the same weekday of the four weeks before (contact volume has a strong weekly rhythm, so yesterday or a
-- weekend is no baseline for a Monday); for weekly and monthly reports the four periods before the current
-- one. Contacts without a category count as '(none)'.
--
-- Spike rule (docs/metrics.md): a category spikes when, in the current period,
--   count >= minimum count, and count >= minimum ratio × baseline mean, and
--   (the baseline standard deviation is 0, or (count − baseline mean) / baseline standard deviation >= minimum z).
-- Baseline periods in which the client has no contacts at all (before its data starts) are left out of the
-- baseline; with no baseline period left there is no spike.
--
-- `{{ }}` slots, filled with SQL literals (functions/core/sql/sql-literal.ts; Athena takes execution parameters only in WHERE):
-- the rule's minimum count, minimum ratio and minimum z, and the (start dt, end dt) of period 0 (current),
-- period 1 (prior) and periods 2-5 (the baseline, newest first).
--
-- Positional parameters, in this order, all in the WHERE clause:
--   1      client_id
--   2-13   the same six (start dt, end dt) pairs, as the partition filter: a daily report reads its six days,
--          not the four weeks between them
with

spike_rule as (
    select {{min_count}} as min_count, {{min_ratio}} as min_ratio, {{min_z}} as min_z
),

category_periods as (
    select period_index, start_dt, end_dt
    from (
        values
            (0, {{period_0_start}}, {{period_0_end}}),
            (1, {{period_1_start}}, {{period_1_end}}),
            (2, {{period_2_start}}, {{period_2_end}}),
            (3, {{period_3_start}}, {{period_3_end}}),
            (4, {{period_4_start}}, {{period_4_end}}),
            (5, {{period_5_start}}, {{period_5_end}})
    ) as periods (period_index, start_dt, end_dt)
),

inbound_contacts_in_scan as (
    select dt, coalesce(category, '(none)') as category
    from contacts
    where client_id = ?
        and (dt between ? and ? or dt between ? and ? or dt between ? and ?
            or dt between ? and ? or dt between ? and ? or dt between ? and ?)
        and direction = 'inbound' and outcome <> 'excluded'
),

category_counts as (
    select p.period_index, c.category, count(*) as contacts
    from inbound_contacts_in_scan as c
    inner join category_periods as p on c.dt between p.start_dt and p.end_dt
    group by p.period_index, c.category
),

period_totals as (
    select p.period_index, coalesce(sum(c.contacts), 0) as contacts
    from category_periods as p
    left join category_counts as c on c.period_index = p.period_index
    group by p.period_index
),

categories_seen as (
    select distinct category from category_counts
),

category_counts_with_zeros as (
    select s.category, t.period_index, t.contacts as period_total, coalesce(c.contacts, 0) as contacts
    from categories_seen as s
    cross join period_totals as t
    left join category_counts as c on c.category = s.category and c.period_index = t.period_index
),

category_baselines as (
    select
        category,
        sum(case when period_index = 0 then contacts else 0 end) as current_count,
        max(case when period_index = 0 then period_total end) as current_total,
        sum(case when period_index = 1 then contacts else 0 end) as prior_count,
        max(case when period_index = 1 then period_total end) as prior_total,
        avg(case when period_index between 2 and 5 and period_total > 0 then cast(contacts as double) end) as baseline_mean,
        stddev_samp(case when period_index between 2 and 5 and period_total > 0 then cast(contacts as double) end) as baseline_stddev,
        sum(case when period_index between 2 and 5 and period_total > 0 then 1 else 0 end) as baseline_periods
    from category_counts_with_zeros
    group by category
),

category_mix as (
    select
        b.category,
        b.current_count as category_count,
        cast(b.current_count as double) / nullif(cast(b.current_total as double), 0) as share,
        b.prior_count,
        cast(b.prior_count as double) / nullif(cast(b.prior_total as double), 0) as prior_share,
        cast(b.current_count - b.prior_count as double) / nullif(cast(b.prior_count as double), 0) as change,
        b.baseline_mean,
        b.baseline_stddev,
        b.baseline_periods,
        (cast(b.current_count as double) - b.baseline_mean) / nullif(b.baseline_stddev, 0) as z_score,
        coalesce(
            b.baseline_mean is not null
                and b.current_count >= r.min_count
                and b.current_count >= r.min_ratio * b.baseline_mean
                and (coalesce(b.baseline_stddev, 0) = 0
                    or (cast(b.current_count as double) - b.baseline_mean) / b.baseline_stddev >= r.min_z),
            false
        ) as is_spike
    from category_baselines as b
    cross join spike_rule as r
    where b.current_count > 0 or b.prior_count > 0
)

select * from category_mix
order by category_count desc, prior_count desc, category
