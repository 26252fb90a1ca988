// `--filter 'REPO_RE:TAG_RE'` as acr purge reads it: two regular expressions, each matched against the
// whole name (anchored). Matching runs with a time limit, so a pattern that backtracks without end
// (`(a+)+$`) fails as a usage error instead of hanging the purge.
import { createContext, runInContext } from 'node:vm';
import { UsageError } from '../errors.js';

export interface Filter {
  /** As given. */
  text: string;
  repository: string;
  tag: string;
}

/**
 * Splits at the colon between the two expressions: the first one that is not part of a
 * non-capturing group `(?:` (tags and repository names never contain a colon).
 */
export function parseFilter(text: string): Filter {
  let colon = -1;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === ':' && text.slice(Math.max(0, index - 2), index) !== '(?') {
      colon = index;
      break;
    }
  }
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError(`argument --filter: '${text}' is not REPOSITORY_REGEX:TAG_REGEX (e.g. 'web:.*' or 'team/.*:^v1\\..*')`);
  }
  const filter = { text, repository: text.slice(0, colon), tag: text.slice(colon + 1) };
  for (const [what, source] of [['repository', filter.repository], ['tag', filter.tag]] as const) {
    try {
      new RegExp(source);
    } catch (error) {
      throw new UsageError(`argument --filter: the ${what} expression of '${text}' is not a valid regular expression (${(error as Error).message})`);
    }
  }
  return filter;
}

/** The pattern that matches a whole name, as acr purge anchors its filters. */
function anchored(source: string): string {
  return `^(?:${source})$`;
}

export interface Matcher {
  /** For each name, whether `source` matches all of it; a usage error when it takes too long. */
  match(source: string, names: readonly string[]): boolean[];
}

/** Matches run in a separate V8 context whose execution is stopped after `timeoutMs`. */
export function createMatcher(timeoutMs: number): Matcher {
  const context = createContext({ names: [] as readonly string[], source: '' });
  return {
    match(source, names) {
      context.names = names;
      context.source = anchored(source);
      try {
        return runInContext('(() => { const pattern = new RegExp(source); return names.map((name) => pattern.test(name)); })()', context, {
          timeout: timeoutMs,
        }) as boolean[];
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
        throw new UsageError(
          `argument --filter: '${source}' took longer than ${timeoutMs / 1000} s to match ${names.length} name(s); simplify the expression (nested repetition such as (a+)+ backtracks without end)`,
        );
      } finally {
        context.names = [];
      }
    },
  };
}
