/**
 * A minimal WebSocket client over a plain TCP socket for the light load clients: at N = 500 a
 * server that sends every update separately sends 250,000 frames a second, and the `ws` library's
 * per-message cost would make the load generator, not the server, the bottleneck. This one
 * parses frames in place from each TCP chunk, masks with a zero key (allowed by RFC 6455: the
 * mask must be present, its value is the client's choice) and answers pings.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";

export interface RawSocketOptions {
  url: string;
  headers: Record<string, string>;
  onMessage(payload: Uint8Array): void;
  onClose(): void;
}

export class RawWebSocket {
  private socket: net.Socket | null = null;
  private leftover: Buffer | null = null;
  private open = false;
  closed = false;

  constructor(private readonly opts: RawSocketOptions) {}

  connect(): Promise<void> {
    const url = new URL(this.opts.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port) });
      socket.setNoDelay(true);
      this.socket = socket;
      let handshake = Buffer.alloc(0);
      socket.once("connect", () => {
        const key = randomBytes(16).toString("base64");
        const extra = Object.entries(this.opts.headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join("");
        socket.write(
          `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
        );
      });
      const onData = (chunk: Buffer) => {
        if (this.open) return this.receive(chunk);
        handshake = Buffer.concat([handshake, chunk]);
        const end = handshake.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = handshake.subarray(0, end).toString("latin1");
        if (!head.startsWith("HTTP/1.1 101")) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
          return;
        }
        this.open = true;
        resolve();
        const rest = handshake.subarray(end + 4);
        if (rest.length > 0) this.receive(rest);
      };
      socket.on("data", onData);
      socket.on("error", (error) => {
        if (!this.open) reject(error);
      });
      socket.on("close", () => {
        this.closed = true;
        this.opts.onClose();
      });
    });
  }

  private receive(chunk: Buffer): void {
    let buf = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    this.leftover = null;
    let pos = 0;
    while (buf.length - pos >= 2) {
      const b0 = buf[pos];
      const b1 = buf[pos + 1];
      let len = b1 & 0x7f;
      let header = 2;
      if (len === 126) {
        if (buf.length - pos < 4) break;
        len = buf.readUInt16BE(pos + 2);
        header = 4;
      } else if (len === 127) {
        if (buf.length - pos < 10) break;
        len = Number(buf.readBigUInt64BE(pos + 2));
        header = 10;
      }
      if (buf.length - pos < header + len) break;
      const payload = buf.subarray(pos + header, pos + header + len);
      pos += header + len;
      const opcode = b0 & 0x0f;
      if (opcode === 2) this.opts.onMessage(payload);
      else if (opcode === 9) this.sendFrame(0xa, payload);
      else if (opcode === 8) this.socket?.end();
    }
    if (pos < buf.length) this.leftover = Buffer.from(buf.subarray(pos));
  }

  private sendFrame(opcode: number, payload: Uint8Array): void {
    if (!this.socket || this.closed) return;
    const len = payload.length;
    const header = len < 126 ? 6 : len < 65536 ? 8 : 14;
    const frame = Buffer.alloc(header + len);
    frame[0] = 0x80 | opcode;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(len), 2);
    }
    // Mask key of zeros (bytes header-4..header-1 stay 0): the payload is sent as is.
    frame.set(payload, header);
    this.socket.write(frame);
  }

  send(payload: Uint8Array): void {
    this.sendFrame(2, payload);
  }

  get isOpen(): boolean {
    return this.open && !this.closed;
  }

  terminate(): void {
    this.socket?.destroy();
  }
}

/**
 * Per client, the end of the clock range a v1 update carries, read without validation (the
 * servers under test produced it) and without decoding content beyond what lengths need.
 */
export function updateRanges(u: Uint8Array, onRange: (client: number, end: number) => void): void {
  let pos = 0;
  const varUint = () => {
    let num = 0;
    let mult = 1;
    for (;;) {
      const r = u[pos++];
      num += (r & 0x7f) * mult;
      if (r < 0x80) return num;
      mult *= 128;
    }
  };
  const skipBytes = () => {
    const n = varUint();
    pos += n;
  };
  const utf16Length = () => {
    const n = varUint();
    let ascii = true;
    for (let i = pos; i < pos + n; i++) if (u[i] >= 0x80) ascii = false;
    const len = ascii ? n : Buffer.from(u.buffer, u.byteOffset + pos, n).toString("utf8").length;
    pos += n;
    return len;
  };
  const skipAny = (): void => {
    const t = u[pos++];
    if (t === 125) varUint();
    else if (t === 124) pos += 4;
    else if (t === 123 || t === 122) pos += 8;
    else if (t === 119 || t === 116) skipBytes();
    else if (t === 118) {
      const n = varUint();
      for (let i = 0; i < n; i++) {
        skipBytes();
        skipAny();
      }
    } else if (t === 117) {
      const n = varUint();
      for (let i = 0; i < n; i++) skipAny();
    }
  };
  const clients = varUint();
  for (let c = 0; c < clients; c++) {
    const count = varUint();
    const client = varUint();
    let clock = varUint();
    for (let i = 0; i < count; i++) {
      const info = u[pos++];
      const ref = info & 0x1f;
      if (ref === 0 || ref === 10) {
        clock += varUint();
        continue;
      }
      if (info & 0x80) {
        varUint();
        varUint();
      }
      if (info & 0x40) {
        varUint();
        varUint();
      }
      if ((info & 0xc0) === 0) {
        if (varUint() === 1) skipBytes();
        else {
          varUint();
          varUint();
        }
        if (info & 0x20) skipBytes();
      }
      switch (ref) {
        case 1:
          clock += varUint();
          break;
        case 2: {
          const n = varUint();
          for (let k = 0; k < n; k++) skipBytes();
          clock += n;
          break;
        }
        case 4:
          clock += utf16Length();
          break;
        case 3:
        case 5:
          skipBytes();
          clock += 1;
          break;
        case 6:
          skipBytes();
          skipBytes();
          clock += 1;
          break;
        case 7: {
          const t = varUint();
          if (t === 3 || t === 5) skipBytes();
          clock += 1;
          break;
        }
        case 8: {
          const n = varUint();
          for (let k = 0; k < n; k++) skipAny();
          clock += n;
          break;
        }
        case 9:
          skipBytes();
          skipAny();
          clock += 1;
          break;
      }
    }
    onRange(client, clock);
  }
}
