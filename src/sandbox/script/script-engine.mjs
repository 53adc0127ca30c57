// Loads the QuickJS WebAssembly module once per worker, into a memory whose growth we can cap.
//
// Why the cap lives here and not in QuickJS: the runtime's own memory limit counts each
// allocation by `malloc_usable_size`, which an Emscripten build does not have, so it counts a
// few bytes per block and a program can fill the whole 2 GiB heap under a "64 MiB" limit. The
// Emscripten glue grows the heap through `memory.grow()` and treats a throw as a failed
// allocation (malloc returns NULL, QuickJS throws "out of memory"), so refusing the growth here
// is a hard bound on what one run can take.
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC } from 'quickjs-emscripten';

const PAGE_BYTES = 65536;
/** The build's own initial heap (16 MiB) and its maximum (2 GiB), in pages. */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = 32768;

/**
 * @typedef {object} ScriptEngine
 * @property {import('quickjs-emscripten').QuickJSWASMModule} module the loaded module, shared by every run of this worker
 * @property {number} baseBytes the heap size right after loading (stack, static data and some free heap)
 * @property {() => number} heapBytes the heap size now (a WebAssembly memory never shrinks)
 * @property {(memoryBytes: number, onHit: () => void) => void} capRun caps the heap at `baseBytes + memoryBytes`
 *   for the run about to start; `onHit` runs at the first refused growth
 * @property {() => boolean} capHit whether a growth was refused since the last `capRun`
 */

/**
 * Loads QuickJS (the release, non-asyncify build) with a capped heap.
 *
 * @returns {Promise<ScriptEngine>}
 * @example
 * const engine = await loadEngine();
 * engine.capRun(64 * 1024 * 1024, () => runtime.setMemoryLimit(1));
 * const runtime = engine.module.newRuntime();
 */
export async function loadEngine() {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
  let capBytes = Infinity;
  let hit = false;
  let onHit = () => undefined;
  const grow = memory.grow.bind(memory);
  memory.grow = (pages) => {
    if (memory.buffer.byteLength + pages * PAGE_BYTES > capBytes) {
      if (!hit) {
        hit = true;
        onHit();
      }
      throw new RangeError('the program reached its memory limit');
    }
    return grow(pages);
  };
  const module = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  const baseBytes = memory.buffer.byteLength;
  return {
    module,
    baseBytes,
    heapBytes: () => memory.buffer.byteLength,
    capRun(memoryBytes, whenHit) {
      capBytes = baseBytes + memoryBytes;
      hit = false;
      onHit = whenHit;
    },
    capHit: () => hit,
  };
}
