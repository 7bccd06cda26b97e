/**
 * Names of Salesforce Setup pages and labels that both the wizard's checklist and the knowledge base's fix
 * steps give, so the two say them alike (facts sheet, "Connected App vs External Client App").
 */

/** The api scope's label in Setup, and the one older orgs and guides use. */
export const SCOPE_API_LABEL = 'Manage user data via APIs (api)';
export const SCOPE_API_OLDER_LABEL = 'Access and manage your data';

/** An External Client App's pages, from the app: its OAuth policies, and the JWT flow's certificate upload. */
export const ECA_OAUTH_POLICIES = 'Policies > Edit > OAuth Policies';
export const ECA_JWT_UPLOAD = 'Flow Enablement > Enable JWT Bearer Flow > Upload';
