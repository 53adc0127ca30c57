export { ERROR_TABLE, httpStatusOf, rpcCodeOf, type OutletErrorCode } from './codes.js';
export { OutletError, isOutletError } from './outlet-error.js';
export { toProtocolError, jsonRpcErrorBody } from './wire.js';
export { fromUpstreamError } from './upstream-errors.js';
