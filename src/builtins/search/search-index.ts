import { closeSync, constants, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { scanRoots } from './scan.js';
import type { SearchOptions } from './search-options.js';

export interface SyncReport {
  added: number;
  updated: number;
  removed: number;
}

export interface Status {
  files: number;
  skippedTooBig: number;
  skippedBinary: number;
  skippedOverMaxFiles: number;
  lastUpdate: string | null;
  indexBytes: number;
}

/** Reads a whole (small) file without following a link; null for binary content (a NUL, or not UTF-8). */
function readText(path: string, size: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null; // gone, or a link by now
  }
  try {
    const bytes = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, bytes, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    const view = bytes.subarray(0, got);
    if (view.includes(0)) return null;
    return new TextDecoder('utf-8', { fatal: true }).decode(view);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The FTS5 index: one row per file (path and text), with the mtime and size it was read at, so that
 * a scan re-reads only what changed. It lives in a fresh folder of the process's temp dir (a tmpfs
 * inside the cage) and goes with the process.
 */
export class SearchIndex {
  readonly db: Database.Database;
  private lastUpdate: Date | null = null;
  private skipped = { tooBig: 0, binary: 0, overCount: 0 };

  constructor(private readonly options: SearchOptions) {
    const dir = mkdtempSync(join(process.env.HOME && process.env.HOME !== '/' ? process.env.HOME : tmpdir(), 'outlet-search-'));
    this.db = new Database(join(dir, 'index.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, mtime REAL NOT NULL, size INTEGER NOT NULL, text INTEGER NOT NULL);
      CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(path, body, tokenize = 'unicode61 remove_diacritics 2');
    `);
  }

  /** Brings the index up to the files on disk: new and changed files read, gone ones dropped. */
  sync(): SyncReport {
    const scan = scanRoots(this.options.roots, this.options.maxFileBytes, this.options.maxFiles);
    const known = new Map((this.db.prepare('SELECT id, path, mtime, size FROM files').all() as { id: number; path: string; mtime: number; size: number }[]).map((r) => [r.path, r]));
    const report: SyncReport = { added: 0, updated: 0, removed: 0 };
    const upsertFile = this.db.prepare('INSERT INTO files (path, mtime, size, text) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET mtime = excluded.mtime, size = excluded.size, text = excluded.text RETURNING id');
    const dropDoc = this.db.prepare('DELETE FROM docs WHERE rowid = ?');
    const addDoc = this.db.prepare('INSERT INTO docs (rowid, path, body) VALUES (?, ?, ?)');
    const dropFile = this.db.prepare('DELETE FROM files WHERE id = ?');
    let binary = 0;
    this.db.transaction(() => {
      for (const file of scan.files) {
        const old = known.get(file.path);
        known.delete(file.path);
        if (old && old.mtime === file.mtimeMs && old.size === file.size) continue;
        const body = readText(file.path, file.size);
        const { id } = upsertFile.get(file.path, file.mtimeMs, file.size, body === null ? 0 : 1) as { id: number };
        if (old) dropDoc.run(old.id);
        if (body !== null) addDoc.run(id, file.path, body);
        if (old) report.updated++;
        else report.added++;
      }
      for (const gone of known.values()) {
        dropDoc.run(gone.id);
        dropFile.run(gone.id);
        report.removed++;
      }
      binary = (this.db.prepare('SELECT count(*) AS n FROM files WHERE text = 0').get() as { n: number }).n;
    })();
    this.skipped = { tooBig: scan.tooBig, binary, overCount: scan.overCount };
    this.lastUpdate = new Date();
    return report;
  }

  /** Drops everything and reads every file again. */
  rebuild(): SyncReport {
    this.db.exec('DELETE FROM docs; DELETE FROM files;');
    return this.sync();
  }

  status(): Status {
    const files = (this.db.prepare('SELECT count(*) AS n FROM files WHERE text = 1').get() as { n: number }).n;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return { files, skippedTooBig: this.skipped.tooBig, skippedBinary: this.skipped.binary, skippedOverMaxFiles: this.skipped.overCount, lastUpdate: this.lastUpdate?.toISOString() ?? null, indexBytes: pages * pageSize };
  }
}
