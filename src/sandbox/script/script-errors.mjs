// Reading an error out of the VM, and naming why a run failed.

/**
 * The name and message of a value the VM threw, read as strings. Reading may run a getter the
 * program defined; that runs under the run's limits, and a failure gives a plain description.
 *
 * @param {import('quickjs-emscripten').QuickJSContext} context
 * @param {import('quickjs-emscripten').QuickJSHandle} handle
 * @returns {{ name: string, message: string }}
 */
export function readError(context, handle) {
  try {
    const type = context.typeof(handle);
    if (type !== 'object') return { name: '', message: type === 'string' ? context.getString(handle) : `the program threw a ${type}` };
    return { name: readString(context, handle, 'name'), message: readString(context, handle, 'message') };
  } catch {
    return { name: '', message: 'the program threw a value that cannot be read' };
  }
}

/**
 * One property of a VM object as a string ('' when it is not a string).
 *
 * @param {import('quickjs-emscripten').QuickJSContext} context
 * @param {import('quickjs-emscripten').QuickJSHandle} handle
 * @param {string} key
 */
export function readString(context, handle, key) {
  const value = context.getProp(handle, key);
  try {
    return context.typeof(value) === 'string' ? context.getString(value) : '';
  } finally {
    value.dispose();
  }
}

/**
 * Why a run that ended in an error failed. QuickJS reports its limits as errors the program may
 * even catch and rethrow: "out of memory" (an InternalError), "stack overflow" (an InternalError
 * at run time, a SyntaxError while parsing) and "interrupted" (the deadline).
 *
 * @param {{ name: string, message: string }} error
 * @param {boolean} heapCapHit whether the worker refused to grow the heap during this run
 * @returns {'memory' | 'stack' | 'timeout' | 'thrown'}
 */
export function classifyError(error, heapCapHit) {
  if (error.name === 'InternalError' && error.message === 'interrupted') return 'timeout';
  if (error.message === 'out of memory' && (error.name === 'InternalError' || heapCapHit)) return 'memory';
  if (error.message === 'stack overflow' && (error.name === 'InternalError' || error.name === 'RangeError')) return 'stack';
  return 'thrown';
}
