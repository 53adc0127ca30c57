/**
 * One cell as JSON can carry it: integers beyond 2^53 and other big numbers as strings, bytes as
 * base64 in an object that says so, dates as ISO 8601.
 */
export function jsonCell(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/**
 * Keeps rows while their JSON fits in `maxBytes` and they number at most `maxRows`; `more` says
 * the source had rows past the ones given. Rows are converted once, here.
 */
export class RowBudget {
  readonly rows: unknown[][] = [];
  truncated = false;
  private bytes = 0;

  constructor(private readonly maxRows: number, private readonly maxBytes: number) {}

  /** Adds a row; false once the budget is spent (the row was not kept, and the caller should stop). */
  add(row: readonly unknown[]): boolean {
    if (this.rows.length >= this.maxRows) {
      this.truncated = true;
      return false;
    }
    const cells = row.map(jsonCell);
    const size = JSON.stringify(cells).length + 1;
    if (this.bytes + size > this.maxBytes) {
      this.truncated = true;
      return false;
    }
    this.bytes += size;
    this.rows.push(cells);
    return true;
  }
}
