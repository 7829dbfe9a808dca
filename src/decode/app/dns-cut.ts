/**
 * The one anomaly DNS decoders report when the bytes run out: `dns_snapped` when the capture's snap
 * length cut the message (the context knows the message went on past the captured bytes, see
 * `net/reported-end.ts`), `dns_truncated` otherwise.
 */
import type { DecodeContext } from '../context.js';
import type { ReportedEndContext } from '../net/reported-end.js';

export function dnsCutAnomaly(ctx: DecodeContext, at: number, end: number, what: string, needed: number): void {
  const reported = (ctx as ReportedEndContext).reportedEnd;
  const kind = reported !== undefined && reported > end ? 'dns_snapped' : 'dns_truncated';
  const have = end > at ? end - at : 0;
  ctx.anomaly(kind, at, `Cannot decode DNS ${what}: need ${needed} bytes at offset ${at - ctx.base}, have ${have}`);
}
