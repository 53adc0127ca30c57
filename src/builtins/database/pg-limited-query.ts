import pg from 'pg';

/** What pg's Query hands to the callback; only the parts read here. */
interface PgResult {
  fields: { name: string }[];
  rows: unknown[][];
}

/** The connection methods a Query calls; not in @types/pg. */
interface PgConnection {
  sync(): void;
}

/**
 * A query that fetches at most `limit` rows from its portal (the extended protocol's Execute with
 * a row count) and then stops, instead of pg's default of fetching the rest page by page. A
 * statement that would return a million rows sends `limit`; `suspended` says there were more.
 * The portal stays open until the transaction ends, which the caller does right after.
 */
class LimitedQuery extends (pg.Query as unknown as new (config: object, values: undefined, callback: (err: Error | null, result: PgResult) => void) => object) {
  suspended = false;

  handlePortalSuspended(connection: PgConnection): void {
    this.suspended = true;
    connection.sync();
  }

  // With a row count pg sends no Sync up front, and does not send one after an error either: the
  // server would then wait for it, and the ROLLBACK after this query would hang until query_timeout.
  handleError(err: Error, connection: PgConnection): void {
    connection.sync();
    (pg.Query.prototype as unknown as { handleError(this: unknown, e: Error, c: PgConnection): void }).handleError.call(this, err, connection);
  }
}

/**
 * Runs one statement through the extended protocol (Parse/Bind/Execute, which the server refuses
 * for a string holding several statements) with its values bound, rows as arrays.
 */
export function limitedQuery(client: pg.PoolClient, text: string, values: unknown[], limit: number): Promise<{ columns: string[]; rows: unknown[][]; more: boolean }> {
  return new Promise((resolve, reject) => {
    const query: LimitedQuery = new LimitedQuery({ text, values, rows: limit, rowMode: 'array', queryMode: 'extended' }, undefined, (err, result) => {
      if (err) reject(err);
      else resolve({ columns: result.fields.map((f) => f.name), rows: result.rows, more: query.suspended });
    });
    void client.query(query as never);
  });
}
