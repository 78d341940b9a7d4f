// Public API of @quarterly/demo: the demo council the Quick start loads into an empty store.
export * from './seed-demo-council';
export * from './demo-errors';
export { DEMO_PEOPLE, DEMO_DIRECTORATES, type DemoPerson, type DemoDirectorate } from './demo-people';
export { DEMO_KPIS } from './demo-kpis';
export type { DemoKpi } from './demo-kpi-builders';
export { buildDemoTimeline, currentCycleAt, type DemoTimeline } from './demo-timeline';
