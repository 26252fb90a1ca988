// Counts as progress and --verbose lines say them: `1,000 tags`, `1 tag`. Grouped by hand: the first
// toLocaleString of a run loads ICU's locale data, several MB for one comma.
export function counted(count: number, singular: string, plural: string): string {
  const digits = String(Math.abs(Math.trunc(count)));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${count < 0 ? '-' : ''}${grouped} ${count === 1 ? singular : plural}`;
}
