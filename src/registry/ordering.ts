// The orders listings come in: names by code unit (as az and the registries sort them), and times.

export type TimeOrder = 'time_asc' | 'time_desc';

/** Plain string order, not locale order: 'B' before 'a', as Python's sorted() does. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortNames(names: readonly string[]): string[] {
  // The default sort orders strings by UTF-16 code units, as compareNames does, and faster.
  return [...names].sort();
}

/** Orders by a timestamp; items without one go last, ties by `name`. */
export function orderByTime<T>(items: readonly T[], order: TimeOrder, time: (item: T) => string | undefined, name: (item: T) => string): T[] {
  const sign = order === 'time_asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ta = timeValue(time(a));
    const tb = timeValue(time(b));
    if (ta === undefined || tb === undefined) {
      if (ta !== tb) return ta === undefined ? 1 : -1;
    } else if (ta !== tb) {
      return sign * (ta - tb);
    }
    return compareNames(name(a), name(b));
  });
}

function timeValue(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

/** The first `count` items, or all of them without a count (--top). */
export function firstItems<T>(items: T[], count: number | undefined): T[] {
  return count === undefined ? items : items.slice(0, count);
}
