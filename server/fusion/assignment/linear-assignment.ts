import { FedfuseError } from '../../../common/errors/index.ts';

export interface LinearAssignment {
  /** Column assigned to each row. */
  readonly columnOfRow: Int32Array;
  /** Sum of the chosen costs. */
  readonly cost: number;
}

/**
 * Minimum-cost assignment of every row to a distinct column (rows <= columns),
 * by successive shortest augmenting paths with dual potentials (the
 * Jonker–Volgenant / Kuhn–Munkres family): O(rows² · columns), about 0.1 s for
 * 512 x 512 here. `cost` is rows x columns, row-major; it must be finite.
 */
export function solveLinearAssignment(cost: Float64Array, rows: number, columns: number): LinearAssignment {
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 0 || rows > columns) {
    throw new FedfuseError('invalid_argument', `assignment needs 0 <= rows <= columns, got ${rows} x ${columns}`);
  }
  if (cost.length !== rows * columns) {
    throw new FedfuseError('shape_mismatch', `assignment cost has ${cost.length} values, expected ${rows} x ${columns}`);
  }
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i]!)) throw new FedfuseError('non_finite', `assignment cost ${i} is ${cost[i]}`);
  }
  // 1-based arrays with a virtual column 0, as in the classic formulation.
  const u = new Float64Array(rows + 1); // row potentials
  const v = new Float64Array(columns + 1); // column potentials
  const rowOfColumn = new Int32Array(columns + 1); // 0 = free
  const way = new Int32Array(columns + 1);
  const minSlack = new Float64Array(columns + 1);
  const used = new Uint8Array(columns + 1);
  for (let i = 1; i <= rows; i++) {
    // Grow a shortest-path tree from row i until it reaches a free column, then augment.
    rowOfColumn[0] = i;
    let j0 = 0;
    minSlack.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOfColumn[j0]!;
      const ui0 = u[i0]!;
      const base = (i0 - 1) * columns - 1;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= columns; j++) {
        if (used[j]) continue;
        const reduced = cost[base + j]! - ui0 - v[j]!;
        if (reduced < minSlack[j]!) {
          minSlack[j] = reduced;
          way[j] = j0;
        }
        if (minSlack[j]! < delta) {
          delta = minSlack[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= columns; j++) {
        if (used[j]) {
          u[rowOfColumn[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minSlack[j]! -= delta;
        }
      }
      j0 = j1;
    } while (rowOfColumn[j0] !== 0);
    do {
      const j1 = way[j0]!;
      rowOfColumn[j0] = rowOfColumn[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const columnOfRow = new Int32Array(rows);
  let total = 0;
  for (let j = 1; j <= columns; j++) {
    const i = rowOfColumn[j]!;
    if (i > 0) {
      columnOfRow[i - 1] = j - 1;
      total += cost[(i - 1) * columns + j - 1]!;
    }
  }
  return { columnOfRow, cost: total };
}
