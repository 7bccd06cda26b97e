/**
 * The wizard's logic, free of any UI: progress from files, checklists, field checks, environments, the
 * failure card, the CI summary, the step machine, and the services both front ends (screens/) call.
 */
export * from './actions.js';
export * from './checklist.js';
export * from './ci.js';
export * from './controller.js';
export * from './environment.js';
export * from './failure.js';
export * from './help.js';
export * from './hooks.js';
export * from './progress.js';
export * from './questions.js';
export * from './retry.js';
export * from './summary.js';
export * from './validate.js';
