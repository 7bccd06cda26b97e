/**
 * The wizard's front ends: the full-screen Ink UI (renderWizard) and the plain line-by-line prompts
 * (runPlainWizard). Loaded only by `sf-setup init` / `demo` in a terminal, never by headless commands.
 */
export { renderWizard, type WizardOptions } from './render.js';
export { runPlainWizard } from './plain.js';
