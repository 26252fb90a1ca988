// User-given text inside an error message: quoted, on one line, and short. A value with a line break,
// a terminal escape or a right-to-left override must not be able to reshape what acrx prints.

const SHOWN_MAX = 80;
const SHOWN_HEAD = 60;
// C0 and C1 controls, DEL, invisible and direction-changing formatting characters, lone surrogates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `'text'`, with unprintable characters as escapes and anything long cut to its start and length. */
export function quote(text: string): string {
  const characters = [...text];
  const shown = characters.length > SHOWN_MAX ? `${characters.slice(0, SHOWN_HEAD).join('')}…` : text;
  const escaped = shown.replace(UNPRINTABLE, escape);
  return characters.length > SHOWN_MAX ? `'${escaped}' (${characters.length} characters)` : `'${escaped}'`;
}

function escape(character: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return named[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
