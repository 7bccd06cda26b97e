import type { LoggedRequest } from './types.js';

/** What a route answers; server.ts writes it and logs `log` with it. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  /** Facts for the request log (never secrets). */
  log?: Pick<LoggedRequest, 'error' | 'errorDescription' | 'claims' | 'tokenPrefix'>;
}

// Salesforce's own spelling of the media type on its OAuth and REST answers.
export const JSON_TYPE = 'application/json;charset=UTF-8';
export const HTML_TYPE = 'text/html;charset=UTF-8';

export function jsonReply(status: number, value: unknown, log?: Reply['log']): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value), log };
}

/**
 * The token endpoint's error shape: HTTP 400 and exactly `{"error":…,"error_description":…}` (facts sheet:
 * every error of this flow is seen as 400).
 */
export function oauthError(error: string, errorDescription: string, log: Reply['log'] = {}): Reply {
  return jsonReply(400, { error, error_description: errorDescription }, { ...log, error, errorDescription });
}

/** The REST API's error shape: an array of `{message, errorCode}`. */
export function restError(status: number, errorCode: string, message: string, log: Reply['log'] = {}): Reply {
  return jsonReply(status, [{ message, errorCode }], { ...log, error: errorCode, errorDescription: message });
}

/** 401 for a missing, unknown or (for REST) api-less token: what Salesforce answers in all three cases. */
export function invalidSession(log: Reply['log'] = {}): Reply {
  return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid', log);
}

export function notFound(log: Reply['log'] = {}): Reply {
  return restError(404, 'NOT_FOUND', 'The requested resource does not exist', log);
}

/**
 * Salesforce's maintenance page is HTML, not JSON (facts sheet): clients that parse every answer as JSON
 * must survive it. Text modelled on the real "Data Not Available" / maintenance pages.
 */
export const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html><head><title>Salesforce - Maintenance</title></head>
<body><h1>Data Not Available</h1>
<p>This org is undergoing scheduled maintenance. The data you were trying to access is temporarily unavailable.</p>
<p>Check trust.salesforce.com (status.salesforce.com) for the maintenance window, then try again.</p>
</body></html>
`;

export const SERVER_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>Error</title></head>
<body><h1>An internal server error has occurred</h1>
<p>An error has occurred while processing your request. The salesforce.com support team has been notified of the problem.</p>
</body></html>
`;
