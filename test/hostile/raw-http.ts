import { connect } from 'node:net';

/**
 * Sends bytes to a server exactly as given (fetch and node:http refuse to send malformed
 * headers) and returns the status line's code and the raw answer. Resolves on close or timeout.
 */
export function rawHttp(url: string, bytes: string | Buffer, timeoutMs = 5000): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is enough: stop at the end of a response with a known length.
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && length !== undefined && Buffer.byteLength(text.slice(head + 4), 'latin1') >= Number(length)) socket.end();
    });
    socket.on('close', done);
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (chunks.length > 0) done();
      else reject(err);
    });
    socket.write(bytes);
  });
}
