/**
 * Backup schedules as Velero reads them. Velero v1.18.1 (the image of the pinned chart) parses
 * `Schedule.spec.schedule` with `cron.ParseStandard` of github.com/robfig/cron/v3 v3.0.1
 * (velero pkg/controller/schedule_controller.go `parseCronSchedule` @ tag v1.18.1, commit
 * 26ef8fa7df68dfa9ab8aa4669b8ac47340b0c510; go.mod `github.com/robfig/cron/v3 v3.0.1`). That
 * parser (robfig/cron parser.go and spec.go @ v3.0.1, commit ccba498c397bb90a9c84945bbb0f7af2d72b6309)
 * takes:
 * - a descriptor: `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`,
 *   or `@every <Go duration>`, matched exactly;
 * - or exactly 5 fields split on white space: minute 0-59, hour 0-23, day of month 1-31, month 1-12
 *   (or `jan`-`dec`), day of week 0-6 (or `sun`-`sat`; 7 is refused, unlike Vixie cron). A field is
 *   a comma list of `*` or `?`, `n` or `a-b`, each optionally `/step` (step >= 1; `n/step` means
 *   `n-max/step`); names are case-insensitive and only in the month and day-of-week fields.
 *
 * What this accepts is a subset of that: every schedule it accepts, Velero accepts. It also refuses
 * a few things the parser lets through but that cannot be meant: an empty list item (`1,,2`), a
 * `*` with a range (`*-5`, read as `*`), a `TZ=`/`CRON_TZ=` prefix (it depends on the time zone
 * database of the Velero image; schedules run in UTC here), a date that never exists (`30 2`: the
 * parser accepts it, the schedule never comes due) and `@every` shorter than a minute (Velero looks
 * at its schedules once a minute, `scheduleSyncPeriod`).
 */
import { goDurationSeconds } from "../../addons/velero/values";

/** Inclusive bounds and names of one cron field (robfig/cron spec.go). */
interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The five fields of a standard spec, in order. */
export const CRON_FIELDS: readonly FieldBounds[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day of week", min: 0, max: 6, names: DAY_NAMES },
];

/** The descriptors robfig/cron v3.0.1 `parseDescriptor` knows, besides `@every <duration>`. */
export const CRON_DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

/** Shortest `@every` interval accepted: Velero checks schedules once a minute. */
export const MIN_EVERY_SECONDS = 60;

/** The values one field selects, and whether it was written as `*`/`?` without a step > 1. */
interface FieldValues {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** Days in each month (1-12) in a leap year: robfig/cron looks 5 years ahead, so 29 February comes. */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why Velero would refuse `spec` (or why it can never run), or undefined when it is a schedule
 * Velero accepts. The message names the field and the part at fault.
 */
export function cronProblem(spec: string): string | undefined {
  if (spec.length === 0) return "is empty";
  if (/^(CRON_)?TZ=/.test(spec)) return "must not start with TZ= or CRON_TZ=: schedules run in UTC";
  if (spec.startsWith("@")) return descriptorProblem(spec);
  const fields = spec.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== CRON_FIELDS.length) {
    return `must have exactly ${CRON_FIELDS.length} fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  }
  const parsed: FieldValues[] = [];
  for (const [i, bounds] of CRON_FIELDS.entries()) {
    const field = parseField(fields[i]!, bounds);
    if (typeof field === "string") return `${bounds.name} field "${fields[i]}": ${field}`;
    parsed.push(field);
  }
  const [, , dom, month, dow] = parsed as [FieldValues, FieldValues, FieldValues, FieldValues, FieldValues];
  // robfig/cron dayMatches: when either day field is a star, a day must match both; the day-of-week
  // star matches every day, so the day of month alone decides whether a date ever exists.
  if (dow.star && !dom.star && ![...month.values].some((m) => [...dom.values].some((d) => d <= MAX_DAYS[m - 1]!))) {
    return "day of month and month never meet (no such date), so the schedule would never run";
  }
  return undefined;
}

function descriptorProblem(spec: string): string | undefined {
  if ((CRON_DESCRIPTORS as readonly string[]).includes(spec)) return undefined;
  const every = "@every ";
  if (!spec.startsWith(every)) return `is not a descriptor Velero knows (${CRON_DESCRIPTORS.join(", ")}, @every <duration>)`;
  const seconds = goDurationSeconds(spec.slice(every.length));
  if (seconds === undefined) return `"${spec.slice(every.length)}" is not a Go duration such as 6h or 1h30m`;
  if (seconds < MIN_EVERY_SECONDS) return `@every must be at least ${MIN_EVERY_SECONDS}s: Velero looks at schedules once a minute`;
  return undefined;
}

/** The values of one field, or what is wrong with it. */
function parseField(field: string, bounds: FieldBounds): FieldValues | string {
  const values = new Set<number>();
  let star = false;
  for (const item of field.split(",")) {
    if (item.length === 0) return "has an empty list item";
    const range = parseRange(item, bounds);
    if (typeof range === "string") return range;
    range.values.forEach((v) => values.add(v));
    star ||= range.star;
  }
  return { values, star };
}

function parseRange(item: string, bounds: FieldBounds): FieldValues | string {
  const parts = item.split("/");
  if (parts.length > 2) return `too many slashes in "${item}"`;
  const [span, stepText] = parts as [string, string | undefined];
  const ends = span.split("-");
  let start: number;
  let end: number;
  let star = false;
  if (span === "*" || span === "?") {
    [start, end, star] = [bounds.min, bounds.max, true];
  } else {
    if (ends.length > 2) return `too many hyphens in "${item}"`;
    if (ends.some((e) => e === "*" || e === "?")) return `"${item}" mixes * with a range`;
    const low = parseValue(ends[0]!, bounds);
    if (typeof low === "string") return low;
    const high = ends.length === 2 ? parseValue(ends[1]!, bounds) : low;
    if (typeof high === "string") return high;
    [start, end] = [low, high];
  }
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\+?\d+$/.test(stepText)) return `step "${stepText}" is not a number`;
    step = Number(stepText);
    if (step === 0) return `step of "${item}" must be a positive number`;
    if (ends.length === 1 && !star) end = bounds.max;
    if (step > 1) star = false;
  }
  if (start < bounds.min) return `${start} is below the minimum ${bounds.min}`;
  if (end > bounds.max) return `${end} is above the maximum ${bounds.max}`;
  if (start > end) return `range "${item}" starts after it ends`;
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

/** A number (Go's strconv.Atoi: optional +, digits) or a name of the field. */
function parseValue(text: string, bounds: FieldBounds): number | string {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (bounds.min === 1 ? 1 : 0);
  if (!/^\+?\d+$/.test(text)) {
    return bounds.names ? `"${text}" is neither a number nor one of ${bounds.names.join(", ")}` : `"${text}" is not a number`;
  }
  return Number(text);
}
