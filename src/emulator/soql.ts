import { jsonReply, restError, type Reply } from './reply.js';
import type { OrgState, UserState } from './types.js';

/*
 * Just enough SOQL for a token test: SELECT fields FROM Organization | User [WHERE a = 'x' AND b = true]
 * [LIMIT n]. Field names are case-insensitive and answered in Salesforce's casing, like the real API.
 */

type Row = Record<string, unknown>;

const QUERY = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is;

function organizationRow(state: OrgState): Row {
  const { org } = state;
  return {
    Id: org.orgId,
    Name: org.name,
    IsSandbox: org.sandbox,
    OrganizationType: org.organizationType,
    InstanceName: 'EMU1',
    NamespacePrefix: null,
    TrialExpirationDate: null,
    LanguageLocaleKey: 'en_US',
    TimeZoneSidKey: 'GMT',
  };
}

function userRow(user: UserState): Row {
  const [first, ...rest] = user.displayName.split(' ');
  return {
    Id: user.userId,
    Username: user.username,
    Name: user.displayName,
    FirstName: rest.length ? first : null,
    LastName: rest.length ? rest.join(' ') : first,
    Email: user.email,
    IsActive: user.active,
    UserType: 'Standard',
    'Profile.Name': user.profile.name,
  };
}

const USER_FIELDS = ['Id', 'Username', 'Name', 'FirstName', 'LastName', 'Email', 'IsActive', 'UserType', 'Profile.Name'];

function conditions(where: string | undefined): [string, string | boolean][] {
  if (!where) return [];
  const found: [string, string | boolean][] = [];
  // Loose on purpose: each `Field = 'text'` or `Field = true|false`; anything else is ignored.
  for (const match of where.matchAll(/([\w.]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(true|false)\b)/gi)) {
    found.push([match[1].toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].toLowerCase() === 'true']);
  }
  return found;
}

function matches(row: Row, wanted: [string, string | boolean][]): boolean {
  return wanted.every(([field, value]) => {
    const key = Object.keys(row).find((name) => name.toLowerCase() === field);
    if (!key) return true;
    const actual = row[key];
    // SOQL's = on text is case-insensitive.
    return typeof value === 'string' ? typeof actual === 'string' && actual.toLowerCase() === value.toLowerCase() : actual === value;
  });
}

function project(row: Row, fields: string[], type: string, version: string): Row {
  const record: Row = { attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${String(row.Id)}` } };
  for (const field of fields) {
    const key = Object.keys(row).find((name) => name.toLowerCase() === field.toLowerCase()) as string;
    const dot = key.indexOf('.');
    if (dot > 0) {
      // Relationship fields nest: Profile.Name -> { Profile: { attributes, Name } }.
      const parent = key.slice(0, dot);
      const nested = (record[parent] as Row | undefined) ?? { attributes: { type: parent } };
      nested[key.slice(dot + 1)] = row[key];
      record[parent] = nested;
    } else record[key] = row[key];
  }
  return record;
}

/** GET /services/data/vNN.0/query?q=… */
export function runQuery(state: OrgState, soql: string, version: string): Reply {
  const parsed = QUERY.exec(soql);
  if (!parsed) return restError(400, 'MALFORMED_QUERY', `unexpected token: '${soql.trim().split(/\s+/)[0] ?? ''}'`);
  const [, fieldList, objectName, where, limit] = parsed;
  const type = objectName.toLowerCase() === 'organization' ? 'Organization' : objectName.toLowerCase() === 'user' ? 'User' : undefined;
  if (!type) return restError(400, 'INVALID_TYPE', `sObject type '${objectName}' is not supported.`);
  const rows = type === 'Organization' ? [organizationRow(state)] : state.users.map(userRow);
  const fields = fieldList.split(',').map((field) => field.trim()).filter(Boolean);
  const known = type === 'Organization' ? Object.keys(organizationRow(state)) : USER_FIELDS;
  const unknown = fields.find((field) => !known.some((name) => name.toLowerCase() === field.toLowerCase()));
  if (unknown || fields.length === 0) {
    return restError(400, 'INVALID_FIELD', `No such column '${unknown ?? ''}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
  }
  const wanted = conditions(where);
  const selected = rows.filter((row) => matches(row, wanted)).slice(0, limit === undefined ? undefined : Number(limit));
  const records = selected.map((row) => project(row, fields, type, version));
  return jsonReply(200, { totalSize: records.length, done: true, records });
}
