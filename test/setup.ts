/**
 * Runs in every test worker before the test file loads. A CI runner's `CI` variable must not leak into
 * in-process renders: Ink reads it once at import (is-in-ci) and then draws only the last frame, which would
 * make the screen tests see nothing. Tests that are about CI set it themselves on the process they start.
 */
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
