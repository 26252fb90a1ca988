// A referrers graph and its drawing. Small on purpose: commands import it at start-up.
import type { JsonObject } from '../registry/attributes.js';

export interface ReferrerNode {
  reference: string;
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: JsonObject;
  manifests: ReferrerNode[];
}

/** As oras draws it: the subject, its referrers grouped by artifact type, each referrer's own below it. */
export function drawReferrerTree(root: ReferrerNode): string {
  const lines = [root.reference];
  const drawChildren = (nodes: ReferrerNode[], indent: string): void => {
    const byType = new Map<string, ReferrerNode[]>();
    for (const node of nodes) {
      const type = node.artifactType ?? node.mediaType;
      byType.set(type, [...(byType.get(type) ?? []), node]);
    }
    const types = [...byType.entries()];
    types.forEach(([type, members], typeIndex) => {
      const lastType = typeIndex === types.length - 1;
      lines.push(`${indent}${lastType ? '└── ' : '├── '}${type}`);
      const typeIndent = `${indent}${lastType ? '    ' : '│   '}`;
      members.forEach((node, index) => {
        const last = index === members.length - 1;
        lines.push(`${typeIndent}${last ? '└── ' : '├── '}${node.digest}`);
        drawChildren(node.manifests, `${typeIndent}${last ? '    ' : '│   '}`);
      });
    });
  };
  drawChildren(root.manifests, '');
  return `${lines.join('\n')}\n`;
}
