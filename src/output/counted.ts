// Counts as progress and --verbose lines say them: `1,000 tags`, `1 tag`.
export function counted(count: number, singular: string, plural: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
