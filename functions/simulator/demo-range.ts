/** The demo's fixed range: the same days on every machine (a module of its own so the CLI can show it without the simulator). */
export const DEMO_END_DATE = '2026-03-31';
export const DEMO_DAYS = 90;
