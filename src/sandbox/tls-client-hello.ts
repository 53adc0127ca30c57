/**
 * Reads the server name (SNI) a TLS client asks for from the first bytes it sends: the record
 * header (RFC 8446 section 5.1), the ClientHello (section 4.1.2) and its `server_name` extension
 * (RFC 6066 section 3). Only what the egress tunnel needs: where the client says it is going.
 */

/** What the first bytes of a tunnel say so far. */
export type ClientHelloName =
  /** Not a whole ClientHello yet: wait for more bytes (never more than one record's size in all). */
  | { kind: 'more' }
  /** The stream does not start with a TLS handshake record (plain HTTP, SSH, ...). */
  | { kind: 'not-tls' }
  /** A ClientHello, with the host name it asks for, if any. */
  | { kind: 'tls'; serverName: string | undefined }
  /** A handshake record that is not a readable ClientHello. */
  | { kind: 'malformed'; reason: string };

/** The most a ClientHello record can take: a header and the largest plaintext record (2^14 bytes). */
const MAX_CLIENT_HELLO_BYTES = 5 + 16_384;

const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;
const SERVER_NAME_EXTENSION = 0x0000;
const HOST_NAME = 0x00;

class Truncated extends Error {}

/** A cursor over the ClientHello that throws Truncated when a length points past its end. */
class Reader {
  constructor(
    private readonly bytes: Buffer,
    public at: number,
    private readonly end: number,
  ) {}

  private need(n: number): void {
    if (this.at + n > this.end) throw new Truncated();
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  u16(): number {
    this.need(2);
    const value = this.bytes.readUInt16BE(this.at);
    this.at += 2;
    return value;
  }

  skip(n: number): void {
    this.need(n);
    this.at += n;
  }

  /** A sub-reader over the next `n` bytes, which this one skips. */
  take(n: number): Reader {
    this.need(n);
    const sub = new Reader(this.bytes, this.at, this.at + n);
    this.at += n;
    return sub;
  }

  text(n: number): string {
    this.need(n);
    const value = this.bytes.toString('latin1', this.at, this.at + n);
    this.at += n;
    return value;
  }

  get left(): number {
    return this.end - this.at;
  }
}

/**
 * The server name of the ClientHello at the start of `bytes` (see ClientHelloName). A ClientHello
 * spread over several records is reported as malformed: clients send it in one (it is far below
 * a record's size), and a tunnel that cannot be read is not let through.
 */
export function clientHelloName(bytes: Buffer): ClientHelloName {
  if (bytes.length === 0) return { kind: 'more' };
  if (bytes[0] !== HANDSHAKE_RECORD) return { kind: 'not-tls' };
  if (bytes.length < 5) return { kind: 'more' };
  const recordLength = bytes.readUInt16BE(3);
  if (recordLength > MAX_CLIENT_HELLO_BYTES - 5) return { kind: 'malformed', reason: `a handshake record of ${recordLength} bytes, over the TLS limit` };
  if (bytes.length < 5 + recordLength) return { kind: 'more' };
  const record = new Reader(bytes, 5, 5 + recordLength);
  try {
    if (record.u8() !== CLIENT_HELLO) return { kind: 'malformed', reason: 'the first handshake message is not a ClientHello' };
    const length = (record.u8() << 16) | record.u16();
    if (length > record.left) return { kind: 'malformed', reason: 'a ClientHello spread over several records' };
    const hello = record.take(length);
    hello.skip(2 + 32); // legacy_version, random
    hello.skip(hello.u8()); // legacy_session_id
    hello.skip(hello.u16()); // cipher_suites
    hello.skip(hello.u8()); // legacy_compression_methods
    if (hello.left === 0) return { kind: 'tls', serverName: undefined }; // no extensions at all
    const extensions = hello.take(hello.u16());
    while (extensions.left > 0) {
      const type = extensions.u16();
      const body = extensions.take(extensions.u16());
      if (type !== SERVER_NAME_EXTENSION) continue;
      const names = body.take(body.u16());
      while (names.left > 0) {
        const nameType = names.u8();
        const nameLength = names.u16();
        if (nameType === HOST_NAME) return { kind: 'tls', serverName: names.text(nameLength) };
        names.skip(nameLength);
      }
      return { kind: 'tls', serverName: undefined };
    }
    return { kind: 'tls', serverName: undefined };
  } catch (err) {
    if (err instanceof Truncated) return { kind: 'malformed', reason: 'a ClientHello whose lengths run past its end' };
    throw err;
  }
}
