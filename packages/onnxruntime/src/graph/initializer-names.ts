/**
 * Separator between a subgraph's path and an initializer name. `::` rather than `/` or `.`,
 * which exporters already use inside names (`encoder/layer.0/weight`).
 */
export const SUBGRAPH_SEPARATOR = '::';

/**
 * The path segment of a subgraph: the owning node's name (or `#<index>` when unnamed), the
 * attribute holding the graph, and the list index for `graphs` attributes.
 */
export function subgraphSegment(nodeLabel: string, attribute: string, listIndex?: number): string {
  return listIndex === undefined
    ? `${nodeLabel}.${attribute}`
    : `${nodeLabel}.${attribute}[${listIndex}]`;
}

/** A node's label inside its graph: its name, or `#<index>` when it has none. */
export function nodeLabel(name: string, index: number): string {
  return name !== '' ? name : `#${index}`;
}

/**
 * The checkpoint name of an initializer: its own name in the main graph, prefixed by the
 * subgraph path inside If/Loop/Scan bodies (`cond.then_branch::bias`), so names stay unique
 * across graphs and show where each tensor lives.
 *
 * @example
 * qualifiedName(['cond.then_branch'], 'bias'); // 'cond.then_branch::bias'
 */
export function qualifiedName(graphPath: readonly string[], name: string): string {
  return graphPath.length === 0
    ? name
    : `${graphPath.join(SUBGRAPH_SEPARATOR)}${SUBGRAPH_SEPARATOR}${name}`;
}
