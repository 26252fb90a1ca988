// What a deletion shows before it asks: the manifest, every tag on it (az's wording), and the
// multi-platform images it breaks.
import type { ImageDeletionPlan } from '../registry/service/types.js';

export function imageDeletionStatement(repository: string, plan: ImageDeletionPlan): string {
  const named = (tags: string[]) => tags.map((tag) => `'${repository}:${tag}'`).join(', ');
  let statement = `This operation will delete the manifest '${plan.digest}'`;
  if (plan.tags.length > 0) statement += ` and all the following images: ${named(plan.tags)}`;
  // Deleting a platform manifest breaks every multi-platform image that lists it: say which.
  if (plan.parents.length > 0) statement += `. It is also a platform manifest of ${named(plan.parents)}, which will then fail to pull for that platform`;
  if (plan.referrers.length > 0) {
    const listed = plan.referrers.map((referrer) => `${referrer.digest}${referrer.artifactType ? ` (${referrer.artifactType})` : ''}`).join(', ');
    statement += plan.referrersGo
      ? `. The registry deletes with it the ${plan.referrers.length} manifest(s) that refer to it: ${listed}`
      : `. ${plan.referrers.length} manifest(s) refer to it and stay behind without it (this registry does not delete referrers): ${listed}`;
  }
  return statement;
}

/** az's question names the referrers only where the registry deletes them too. */
export function artifactDeletionQuestion(plan: ImageDeletionPlan): string {
  return plan.referrersGo
    ? `Are you sure you want to delete the artifact '${plan.digest}' and all manifests that refer to it?`
    : `Are you sure you want to delete the artifact '${plan.digest}'?`;
}
