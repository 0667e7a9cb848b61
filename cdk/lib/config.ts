/**
 * The deployment's settings: which ad accounts are optimized, when the state machines run
 * (collect, optimize, and train, which retrains the creative scorer weekly),
 * how decisions are applied, where notices go. Read from CDK context — `context` in
 * `cdk.json`, or `cdk deploy -c key=value` — with the defaults below for all but `accounts`.
 */

/** How apply treats the decided actions (statemachines/README.md, "optimize"). */
export type Mode = 'dry-run' | 'approve' | 'auto';

const MODES: readonly Mode[] = ['dry-run', 'approve', 'auto'];

/** The stack's configuration, validated. */
export interface Config {
  /** Ad account ids (digits, as in Campaign Manager's URL): collected and optimized. */
  readonly accounts: readonly string[];
  /** When the collect state machine runs: an EventBridge Scheduler expression. */
  readonly collectSchedule: string;
  /** When the optimize state machine runs, once per account: a Scheduler expression. */
  readonly optimizeSchedule: string;
  /** When the train state machine retrains the creative scorer on all accounts: a
   * Scheduler expression, weekly by default (a training reads 90 days of creatives). */
  readonly trainSchedule: string;
  /** The IANA time zone the three schedules are read in (cron fields, daylight saving). */
  readonly scheduleTimeZone: string;
  /** The optimize runs' mode; `dry-run` records decisions and changes nothing. */
  readonly mode: Mode;
  /** An address subscribed to the report topic (reports, approval requests, alarms). */
  readonly notificationEmail?: string;
  /** The `LinkedIn-Version` header the steps send, `YYYYMM`. */
  readonly linkedinVersion: string;
  /** Store key of the policy file decide and apply use (under `policies/`); absent: the
   * default policy. */
  readonly policyKey?: string;
  /** Athena cancels a query that scans more than this many bytes (minimum 10 MB). */
  readonly athenaBytesScannedCutoffPerQuery: number;
}

/** Every setting's default; `accounts` has none, a deployment must name its accounts. */
export const DEFAULTS = {
  collectSchedule: 'rate(6 hours)',
  optimizeSchedule: 'cron(0 6 * * ? *)',
  trainSchedule: 'cron(0 3 ? * MON *)',
  scheduleTimeZone: 'UTC',
  mode: 'dry-run' as Mode,
  linkedinVersion: '202610',
  athenaBytesScannedCutoffPerQuery: 1024 * 1024 * 1024,
} as const;

/** The context keys read, in the order the README lists them. */
export const CONTEXT_KEYS = [
  'accounts',
  'collectSchedule',
  'optimizeSchedule',
  'trainSchedule',
  'scheduleTimeZone',
  'mode',
  'notificationEmail',
  'linkedinVersion',
  'policyKey',
  'athenaBytesScannedCutoffPerQuery',
] as const;

/** Athena's smallest per-query cutoff (AWS: "Workgroup settings", BytesScannedCutoffPerQuery). */
const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

/**
 * Reads and validates the configuration through `lookup` (CDK's `node.tryGetContext`).
 * Values given on the command line arrive as strings, so lists may be comma-separated and
 * numbers may be text. Throws one error listing every invalid setting and how to fix it.
 */
export function configFromContext(lookup: (key: string) => unknown): Config {
  const problems: string[] = [];
  const text = (key: string, fallback?: string): string | undefined => {
    const value = lookup(key);
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string') {
      problems.push(`${key} must be text (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return value.trim();
  };

  const accounts = accountList(lookup('accounts'), problems);

  const collectSchedule = text('collectSchedule', DEFAULTS.collectSchedule)!;
  const optimizeSchedule = text('optimizeSchedule', DEFAULTS.optimizeSchedule)!;
  const trainSchedule = text('trainSchedule', DEFAULTS.trainSchedule)!;
  for (const [key, expression] of [
    ['collectSchedule', collectSchedule],
    ['optimizeSchedule', optimizeSchedule],
    ['trainSchedule', trainSchedule],
  ] as const) {
    if (!/^(rate|cron|at)\(.+\)$/.test(expression)) {
      problems.push(
        `${key} must be an EventBridge Scheduler expression, rate(...), cron(...) or at(...), ` +
          `such as its default '${DEFAULTS[key]}' (got '${expression}')`,
      );
    }
  }

  const scheduleTimeZone = text('scheduleTimeZone', DEFAULTS.scheduleTimeZone)!;
  if (!isTimeZone(scheduleTimeZone)) {
    problems.push(
      `scheduleTimeZone must be an IANA time zone such as 'UTC' or 'Europe/Berlin' (got '${scheduleTimeZone}')`,
    );
  }

  const mode = text('mode', DEFAULTS.mode)!;
  if (!MODES.includes(mode as Mode)) {
    problems.push(`mode must be one of ${MODES.join(', ')} (got '${mode}')`);
  }

  const notificationEmail = text('notificationEmail');
  if (notificationEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(notificationEmail)) {
    problems.push(`notificationEmail must be an e-mail address (got '${notificationEmail}')`);
  }

  const linkedinVersion = text('linkedinVersion', DEFAULTS.linkedinVersion)!;
  if (!/^\d{6}$/.test(linkedinVersion)) {
    problems.push(
      `linkedinVersion must be YYYYMM, e.g. ${DEFAULTS.linkedinVersion} (got '${linkedinVersion}')`,
    );
  }

  const policyKey = text('policyKey');
  if (policyKey !== undefined && !/^policies\/[^*?]+[^/]$/.test(policyKey)) {
    problems.push(
      `policyKey must be a store key under policies/, e.g. policies/policy.toml — decide and ` +
        `apply may read only that prefix (got '${policyKey}')`,
    );
  }

  const cutoff = number(lookup('athenaBytesScannedCutoffPerQuery'));
  const athenaBytesScannedCutoffPerQuery = cutoff ?? DEFAULTS.athenaBytesScannedCutoffPerQuery;
  if (!Number.isInteger(athenaBytesScannedCutoffPerQuery) || athenaBytesScannedCutoffPerQuery < MIN_BYTES_SCANNED_CUTOFF) {
    problems.push(
      `athenaBytesScannedCutoffPerQuery must be a whole number of bytes, at least ` +
        `${MIN_BYTES_SCANNED_CUTOFF} (10 MB, Athena's minimum) (got '${lookup('athenaBytesScannedCutoffPerQuery')}')`,
    );
  }

  if (problems.length > 0) {
    throw new Error(
      `invalid configuration (cdk.json "context", or -c key=value):\n- ${problems.join('\n- ')}`,
    );
  }
  return {
    accounts,
    collectSchedule,
    optimizeSchedule,
    trainSchedule,
    scheduleTimeZone,
    mode: mode as Mode,
    notificationEmail,
    linkedinVersion,
    policyKey,
    athenaBytesScannedCutoffPerQuery,
  };
}

/** `accounts` as a JSON array or comma-separated text; at least one, each digits, no repeats. */
function accountList(value: unknown, problems: string[]): string[] {
  const fix =
    'set "accounts" in cdk.json\'s "context" (e.g. ["500000001"]) or pass -c accounts=500000001,500000002; ' +
    "an account id is the digits in Campaign Manager's URL";
  let items: unknown[];
  if (Array.isArray(value)) {
    items = value;
  } else if (typeof value === 'string') {
    items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  } else if (value === undefined || value === null) {
    items = [];
  } else {
    problems.push(`accounts must be a list of ad account ids (got ${JSON.stringify(value)}): ${fix}`);
    return [];
  }
  const accounts = items.map((item) => (typeof item === 'number' ? String(item) : item));
  if (accounts.length === 0) {
    problems.push(`no ad accounts configured: ${fix}`);
  }
  for (const account of accounts) {
    if (typeof account !== 'string' || !/^\d{1,20}$/.test(account)) {
      problems.push(`account id must be digits (got ${JSON.stringify(account)}): ${fix}`);
    }
  }
  const seen = new Set<unknown>();
  for (const account of accounts) {
    if (seen.has(account)) problems.push(`account ${String(account)} is listed twice`);
    seen.add(account);
  }
  return accounts as string[];
}

function number(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return NaN;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
