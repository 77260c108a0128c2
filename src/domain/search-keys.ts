// The grid cells and periods a search asks the index for. They are computed
// exactly as the SQL functions in drizzle/0008_search_keys.sql compute the
// listings' position_cells and available_periods, so a listing inside the
// query's box or window always shares a key with the query. A key set is a
// coarse first cut: the exact distance and window conditions still run on
// the rows it lets through, so a loose set costs time, a missing key would
// lose results (test/discovery/search-keys.test.ts checks both sides agree).

/**
 * Cell sizes in degrees, finest first; the position in this list is the
 * level. Each is four times the one before and a power of two, so dividing
 * by it is exact and a cell's children are rows and columns 4r…4r+3, 4c…4c+3.
 */
const GRID_SIZES = [1 / 16, 1 / 4, 1, 4, 16] as const;
const LEVEL_STRIDE = 2 ** 24;
/** Each cell is one more entry for the index scan to merge; past this many that costs more than a tighter cover saves. */
const MAX_CELLS = 64;

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

export interface Box {
  south: number;
  north: number;
  west: number;
  east: number;
}

interface Span {
  first: number;
  last: number;
}

interface Cell {
  level: number;
  row: number;
  column: number;
}

/** The rows and columns of one level's grid that the box touches. */
function spanOf(box: Box, level: number): { rows: Span; columns: Span } {
  const size = GRID_SIZES[level] as number;
  const row = (latitude: number) => Math.floor((clamp(latitude, -90, 90) + 90) / size);
  const column = (longitude: number) => Math.floor((clamp(longitude, -180, 180) + 180) / size);
  return {
    rows: { first: row(box.south), last: row(box.north) },
    columns: { first: column(box.west), last: column(box.east) },
  };
}

function cellsWithin(level: number, rows: Span, columns: Span): Cell[] {
  const cells: Cell[] = [];
  for (let row = rows.first; row <= rows.last; row++) {
    for (let column = columns.first; column <= columns.last; column++) cells.push({ level, row, column });
  }
  return cells;
}

const overlap = (a: Span, b: Span): Span => ({ first: Math.max(a.first, b.first), last: Math.min(a.last, b.last) });

/** Whether every finest cell of `cell` is one the box touches. */
function inside(cell: Cell, finest: { rows: Span; columns: Span }): boolean {
  const side = 4 ** cell.level;
  return (
    cell.row * side >= finest.rows.first &&
    (cell.row + 1) * side - 1 <= finest.rows.last &&
    cell.column * side >= finest.columns.first &&
    (cell.column + 1) * side - 1 <= finest.columns.last
  );
}

function keyOf(cell: Cell): number {
  const columns = Math.floor(360 / (GRID_SIZES[cell.level] as number)) + 1;
  return cell.level * LEVEL_STRIDE + cell.row * columns + cell.column;
}

/**
 * At most MAX_CELLS cells, of mixed sizes, that together hold every point
 * of the box; null when the coarsest grid alone needs more. It starts from
 * the coarsest cells the box touches and, coarsest first, replaces those
 * that reach furthest beyond the box by their children inside it.
 */
export function gridCellsCovering(box: Box): number[] | null {
  const spans = GRID_SIZES.map((_, level) => spanOf(box, level));
  const top = GRID_SIZES.length - 1;
  let cells = cellsWithin(top, spans[top]!.rows, spans[top]!.columns);
  if (cells.length > MAX_CELLS) return null;
  for (let level = top; level > 0; level--) {
    const inner = spans[level - 1]!;
    const children = (cell: Cell) =>
      cellsWithin(
        level - 1,
        overlap({ first: cell.row * 4, last: cell.row * 4 + 3 }, inner.rows),
        overlap({ first: cell.column * 4, last: cell.column * 4 + 3 }, inner.columns),
      );
    // Cells inside the box stay whole; of the others, those with the fewest children in it split first.
    const splits = cells
      .filter((cell) => cell.level === level && !inside(cell, spans[0]!))
      .map((cell) => ({ cell, children: children(cell) }))
      .sort((a, b) => a.children.length - b.children.length);
    let count = cells.length;
    const replaced = new Map<Cell, Cell[]>();
    for (const { cell, children } of splits) {
      if (count - 1 + children.length > MAX_CELLS) continue;
      replaced.set(cell, children);
      count += children.length - 1;
    }
    cells = cells.flatMap((cell) => replaced.get(cell) ?? [cell]);
  }
  return cells.map(keyOf);
}

/** The key of windows that are open-ended, reversed or longer than a year: they match any query. */
const ANY_TIME = -2147483648;
/** Monday 1970-01-05, UTC: the start of period 0. */
const PERIOD_ZERO = Date.UTC(1970, 0, 5);
const DAY_MS = 86_400_000;
/**
 * Four weeks: shorter periods narrow a month-long query a little better but
 * give each listing more keys, and the index scan reads them all.
 */
const PERIOD_DAYS = 28;
/** A query window over this many periods leaves too little out to be worth its keys. */
const MAX_QUERY_PERIODS = 6;

/** The period of an instant, as the SQL does it: whole UTC days since period zero, divided towards zero. */
function periodOf(instant: Date): number {
  return Math.trunc(Math.floor((instant.getTime() - PERIOD_ZERO) / DAY_MS) / PERIOD_DAYS);
}

/**
 * The keys of listings available some time in [from, until]: the periods
 * between the two (in either order: a listing matches a reversed window when
 * it spans it) and ANY_TIME. Null when the window is too long to narrow.
 */
export function periodsOverlapping(from: Date, until: Date): number[] | null {
  const first = Math.min(periodOf(from), periodOf(until));
  const last = Math.max(periodOf(from), periodOf(until));
  if (last - first >= MAX_QUERY_PERIODS) return null;
  const periods = [ANY_TIME];
  for (let period = first; period <= last; period++) periods.push(period);
  return periods;
}
