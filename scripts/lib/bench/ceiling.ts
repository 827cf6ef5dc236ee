/** The local chain's rate against its ceiling (block gas limit ÷ gas per transaction ÷ block period). */

/** The rate a chain must sustain, as a share of its ceiling. */
export const GOAL_OF_CEILING = 95;

/**
 * What limited the full blocks, given the least and the most gas that the transactions ask the node to reserve (their
 * gas limits). The block gas limit, when no full block had room left for one more of the smallest; the block gas
 * limit to within one transaction, when some had room for the smallest but none for the largest (the node takes each
 * sender's transactions in nonce order, so the next in line may be a large one); otherwise not the gas limit: the
 * node stopped filling a block that any of them would have fitted.
 */
export function limitOf(
  full: readonly { gasUsed: bigint; gasLimit: bigint }[],
  smallestGasLimit: number,
  largestGasLimit: number,
): string {
  const room = (b: { gasUsed: bigint; gasLimit: bigint }) => Number(b.gasLimit - b.gasUsed);
  const forSmallest = full.filter((b) => room(b) >= smallestGasLimit).length;
  const forLargest = full.filter((b) => room(b) >= largestGasLimit).length;
  if (forSmallest === 0) return "limited by the block gas limit: no full block had room for one more transaction";
  if (forLargest === 0) {
    return (
      `limited by the block gas limit, to within one transaction: ${forSmallest} of ${full.length} full blocks had ` +
      "room for the smallest but none for the largest"
    );
  }
  return `not limited by the block gas limit: ${forLargest} of ${full.length} full blocks had room for any transaction`;
}
