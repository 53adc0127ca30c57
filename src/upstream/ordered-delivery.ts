import type { Transport } from '@modelcontextprotocol/client';

/**
 * Makes the SDK client see an upstream's messages in wire order. The SDK hands notifications to
 * their handlers one microtask late but settles responses at once, and a settled request drops
 * its progress handler: a progress notification sent just before the response was then lost
 * (the race of typescript-sdk issue 2580). Deferring responses by one microtask puts them behind
 * any notification that arrived before them, and ahead of any that arrived after.
 *
 * Installed after connect, when the client has set its own `onmessage`.
 */
export function deliverInWireOrder(transport: Transport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    const isResponse = 'id' in message && !('method' in message);
    if (isResponse) void Promise.resolve().then(() => deliver(message, extra));
    else deliver(message, extra);
  };
}
