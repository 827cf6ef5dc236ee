/** The local chain's rate against its ceiling (block gas limit ÷ gas per transaction ÷ block period). */

/** The rate a chain must sustain, as a share of its ceiling. */
export const GOAL_OF_CEILING = 95;

/**
 * What limited the full blocks: the block gas limit when none had room left for one more transaction of the kind
 * (`smallestGasLimit`, the least gas any of them asks the node to reserve), else not the gas limit: the node stopped
 * filling its blocks short of it.
 */
export function limitOf(full: readonly { gasUsed: bigint; gasLimit: bigint }[], smallestGasLimit: number): string {
  const roomy = full.filter((b) => Number(b.gasLimit - b.gasUsed) >= smallestGasLimit).length;
  if (roomy === 0) return "the block gas limit: no full block had room for one more transaction";
  return `not the block gas limit: ${roomy} of ${full.length} full blocks had room for one more transaction`;
}
