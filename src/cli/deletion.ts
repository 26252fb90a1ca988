// What a deletion shows before it asks: the manifest, every tag on it (az's wording), and the
// multi-platform images it breaks.
import type { ImageDeletionPlan } from '../registry/service/types.js';

export function imageDeletionStatement(repository: string, plan: ImageDeletionPlan): string {
  const named = (tags: string[]) => tags.map((tag) => `'${repository}:${tag}'`).join(', ');
  let statement = `This operation will delete the manifest '${plan.digest}'`;
  if (plan.tags.length > 0) statement += ` and all the following images: ${named(plan.tags)}`;
  // Deleting a platform manifest breaks every multi-platform image that lists it: say which.
  if (plan.parents.length > 0) statement += `. It is also a platform manifest of ${named(plan.parents)}, which will then fail to pull for that platform`;
  return statement;
}
