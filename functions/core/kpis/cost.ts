/**
 * Cost per contact (문의당 비용): each day of the period carries (that month's cost / days in that month), from
 * the contract version in force on that day; the period's share is the sum over its days, divided by answered.
 */
import { contractInForce, type ClientConfig } from '../config/client-config.ts';
import { datesOf, daysInMonth } from './periods.ts';

/** The period's share of the monthly cost; null when a day of it has no cost in its contract version. */
export function periodCost(config: ClientConfig, range: { start: string; end: string }): number | null {
  let total = 0;
  for (const day of datesOf(range)) {
    const cost = contractInForce(config, day)?.monthly_cost;
    if (cost === undefined) return null;
    total += cost / daysInMonth(day);
  }
  return total;
}

export function costPerContact(cost: number | null, answered: number): number | null {
  if (cost === null || answered === 0) return null;
  return cost / answered;
}
