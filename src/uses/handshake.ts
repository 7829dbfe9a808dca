/**
 * Follows TLS handshakes across packets, so that the whole handshake counts as connection setup and
 * not as application data: from a client's ClientHello, the server's answer (ServerHello and its
 * encrypted flight: after the first segment, no TLS header shows) and the client's next message (its
 * Finished) are setup too; the connection carries application data after that. Only connections
 * whose client spoke TLS are followed, so a plain-TCP request and answer stay data.
 *
 * Memory stays bounded: a handshake not finished within {@link HANDSHAKE_TIMEOUT_US} is dropped, and
 * at most {@link MAX_OPEN_HANDSHAKES} are followed at once.
 */
import { PacketRole, type PacketFacts } from './packet-role.js';

export const HANDSHAKE_TIMEOUT_US = 30e6;
export const MAX_OPEN_HANDSHAKES = 4096;

interface Handshake {
  serverSpoke: boolean;
  startUs: number;
}

function connectionKey(fromIp: number | string, fromPort: number, toIp: number | string, toPort: number): string {
  return `${fromIp} ${fromPort} ${toIp} ${toPort}`;
}

export class HandshakeTracker {
  /** Open handshakes by client→server connection key. */
  private readonly open = new Map<string, Handshake>();
  private lastExpiryUs = -Infinity;

  get openHandshakes(): number {
    return this.open.size;
  }

  /** Sets `f.role` to Setup for a packet of an open handshake (call after `f.read()`). */
  adjust(f: PacketFacts): void {
    if (!f.tcp) return;
    if (f.clientHello) {
      this.start(connectionKey(f.srcIp, f.srcPort, f.dstIp, f.dstPort), f.timeUs);
      return;
    }
    if (this.open.size === 0 || (f.payloadBytes === 0 && f.role !== PacketRole.Teardown)) return;
    if (f.timeUs - this.lastExpiryUs > HANDSHAKE_TIMEOUT_US) this.expire(f.timeUs);
    const fromClient = connectionKey(f.srcIp, f.srcPort, f.dstIp, f.dstPort);
    const fromServer = connectionKey(f.dstIp, f.dstPort, f.srcIp, f.srcPort);
    if (f.role === PacketRole.Teardown) {
      this.open.delete(fromClient);
      this.open.delete(fromServer);
      return;
    }
    const asClient = this.open.get(fromClient);
    if (asClient !== undefined) {
      f.role = PacketRole.Setup;
      if (asClient.serverSpoke) this.open.delete(fromClient);
      return;
    }
    const asServer = this.open.get(fromServer);
    if (asServer !== undefined) {
      f.role = PacketRole.Setup;
      asServer.serverSpoke = true;
    }
  }

  private start(key: string, timeUs: number): void {
    if (this.open.size >= MAX_OPEN_HANDSHAKES) this.expire(timeUs);
    if (this.open.size >= MAX_OPEN_HANDSHAKES) return;
    this.open.set(key, { serverSpoke: false, startUs: timeUs });
  }

  private expire(nowUs: number): void {
    this.lastExpiryUs = nowUs;
    for (const [k, h] of this.open) if (nowUs - h.startUs > HANDSHAKE_TIMEOUT_US) this.open.delete(k);
  }
}
