// The one grammar for names that come from an artifact (layer titles, tar entries, link targets):
// relative and '/'-separated, with nothing any platform's file system reads as a way out.

export type ParsedName = { segments: string[] } | { problem: string };

/**
 * The name's segments, without empty and '.' ones. `..` is a problem unless `allowParent` (link
 * targets, which are resolved against the entries afterwards).
 */
export function parseRelativeName(name: string, allowParent = false): ParsedName {
  if (name === '') return { problem: 'is empty' };
  if (name.includes('\0')) return { problem: 'contains a NUL character' };
  // On Windows a backslash separates directories, so `a\..\..\x` would climb out there.
  if (name.includes('\\')) return { problem: 'contains a backslash' };
  if (name.startsWith('/')) return { problem: 'is an absolute path' };
  if (/^[A-Za-z]:/.test(name)) return { problem: 'starts with a drive letter' };
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (!allowParent && segments.includes('..')) return { problem: "contains a '..' segment" };
  return { segments };
}
