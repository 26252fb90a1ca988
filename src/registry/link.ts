// RFC 8288 Link header: the URL of the rel="next" entry, if any.

export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const entry = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  for (let match = entry.exec(header); match; match = entry.exec(header)) {
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) return match[1];
  }
  return undefined;
}
