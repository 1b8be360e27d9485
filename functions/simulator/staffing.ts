/**
 * How many agents a workforce planner would schedule per half hour: Erlang C on the forecast (not on what
 * actually arrives), which is why an unforecast spike overloads the queue exactly as it does in real life.
 */

/** Probability an arriving contact must wait, M/M/N with offered load `erlangs` (Erlang C). */
export function erlangC(agents: number, erlangs: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  // Erlang B by its stable recursion, then C from B.
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (erlangs * b) / (k + erlangs * b);
  return (agents * b) / (agents - erlangs * (1 - b));
}

/** Share answered within `thresholdSeconds` for N agents (Erlang C service level). */
export function erlangServiceLevel(
  agents: number,
  arrivalsPerHour: number,
  ahtSeconds: number,
  thresholdSeconds: number,
): number {
  const erlangs = (arrivalsPerHour * ahtSeconds) / 3600;
  if (erlangs <= 0) return 1;
  if (agents <= erlangs) return 0;
  return 1 - erlangC(agents, erlangs) * Math.exp((-(agents - erlangs) * thresholdSeconds) / ahtSeconds);
}

/** Fewest agents that reach the target service level on the forecast; at least `minimum` while open. */
export function requiredAgents(
  arrivalsPerHour: number,
  ahtSeconds: number,
  thresholdSeconds: number,
  target: number,
  minimum: number,
): number {
  let n = Math.max(minimum, 1);
  while (erlangServiceLevel(n, arrivalsPerHour, ahtSeconds, thresholdSeconds) < target && n < 500) n += 1;
  return n;
}
