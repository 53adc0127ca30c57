import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Watches one config file for edits. It watches the directory, not the file, because editors
 * save by writing a new file and renaming it over the old one, which ends a watch on the file
 * itself. Bursts of events (write + rename + chmod) are folded into one call.
 */
export function watchConfigFile(path: string, onChange: () => void, debounceMs = 150): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
  } catch {
    return () => undefined;
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
