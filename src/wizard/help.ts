import type { StepId } from './controller.js';

/** `?` on each step: why it exists and what to watch for. Plain strings, shown by both front ends. */
export const STEP_HELP: Record<StepId, string[]> = {
  keys: [
    'The JWT Bearer Flow has no password: sf-setup signs a short login token (a JWT) with your private key.',
    'Salesforce checks the signature with the certificate you upload to the app in step 2.',
    'The private key stays on this machine (mode 0600, git-ignored); only the certificate (.crt) is uploaded.',
    'Salesforce ignores the certificate subject; the defaults are fine. 2048 bits is the minimum and enough.',
    'Regenerating keeps the old files as .bak, and means uploading the new certificate again.',
  ],
  app: [
    'The app (Connected App or External Client App) is how Salesforce knows this client: its Consumer Key is the JWT\'s issuer.',
    'Since Spring \'26 new orgs create External Client Apps by default; Connected Apps need "Allow creation of connected apps".',
    '"Admin approved users are pre-authorized" plus the user\'s profile or permission set lets the user log in without ever clicking Allow.',
    'A dedicated integration user (license Salesforce Integration) limits what a leaked key could do.',
    'Salesforce takes 2-10 minutes to apply a new app or a policy change.',
  ],
  config: [
    'Production and Developer Edition log in at login.salesforce.com, sandboxes at test.salesforce.com; External Client Apps at your My Domain.',
    'Sandbox usernames are the production username plus .sandboxname (you@example.com.uat).',
    'The instance URL is your org\'s My Domain (Setup > My Domain), e.g. https://acme.my.salesforce.com.',
    'The file holds no secret: the key stays in its own file, and both are added to .gitignore.',
  ],
  test: [
    'sf-setup signs a JWT (iss = Consumer Key, sub = username, aud = the token URL\'s host: login, test or your My Domain, exp = now + 3 min) and asks for a token.',
    'On failure, the card shows Salesforce\'s words, the likely causes for your setup, and the fix as steps.',
    'New apps and policy changes take 2-10 minutes to apply: retrying automatically is often all it takes.',
  ],
};
