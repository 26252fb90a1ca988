// `--ago` as acr purge reads it: days, then Go-style hours, minutes and seconds (`30d`, `1d3h`, `90m`,
// `2h30m`, `0d` for any age).
import { UsageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/** Milliseconds; a usage error for anything else. */
export function parseAgo(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)];
  const rebuilt = parts.map((part) => part[0]).join('');
  const units = parts.map((part) => part[2] as string);
  const ordered = units.every((unit, index) => index === 0 || 'dhms'.indexOf(unit) > 'dhms'.indexOf(units[index - 1] as string));
  if (parts.length === 0 || rebuilt !== text || !ordered) {
    throw new UsageError(`argument --ago: '${text}' is not a duration such as 30d, 1d3h, 90m or 0d (units d, h, m, s, largest first)`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * (UNIT_MS[part[2] as string] as number), 0);
}
