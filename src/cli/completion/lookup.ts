// What `acrx __complete` answers: repository or tag names of the registry on the command line being
// completed (or the default one), one a line. A completion must never hang the shell or write over
// the prompt: the lookup stops after two seconds, and any failure is an empty answer.
import { RawOutput } from '../../output/raw.js';
import type { CommandContext } from '../context.js';
import { parseRegistryOptions, type OptionValues } from '../options.js';

export interface Lookup {
  kind: 'repositories' | 'tags';
  values: OptionValues;
  repository: string;
}

const LOOKUP_MILLISECONDS = 2000;

export async function lookUp(lookup: Lookup, context: CommandContext): Promise<RawOutput> {
  const deadline = AbortSignal.any([context.io.signal, AbortSignal.timeout(LOOKUP_MILLISECONDS)]);
  // The signal stops requests; the race also ends what does not listen to it (a credential helper).
  const expired = new Promise<string[]>((resolve) => deadline.addEventListener('abort', () => resolve([]), { once: true }));
  let names: string[];
  try {
    names = await Promise.race([listNames(lookup, context, deadline), expired]);
  } catch {
    names = [];
  }
  return new RawOutput(Buffer.from(names.map((name) => `${name}\n`).join('')));
}

async function listNames(lookup: Lookup, context: CommandContext, signal: AbortSignal): Promise<string[]> {
  const { service } = await context.openRegistry(parseRegistryOptions(lookup.values), 'stored', signal);
  return lookup.kind === 'tags' ? service.listTagNames(lookup.repository, {}) : service.listRepositories();
}
