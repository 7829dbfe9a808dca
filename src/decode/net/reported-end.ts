/**
 * Where a layer's data ended on the wire, as opposed to where the captured bytes end.
 *
 * A capture taken with a snap length keeps only the first bytes of each frame: its records say
 * `origLen > capLen`. That is normal, and tshark does not complain about it; but a length field that
 * claims more bytes than the frame had on the wire is a bad length ("IPv4 total length exceeds packet
 * length", "Bad length value 47 > IP payload length"). A decoder only sees `end`, the end of the
 * captured bytes, so it cannot tell the two apart on its own. tshark keeps, beside the captured
 * length, a "reported length" per layer; a driver gives our decoders the same through this optional
 * context field:
 *
 * - the outermost layer: `reportedEnd = ctx.base + record.origLen`;
 * - after an IPv4 layer: `min(reportedEnd, ctx.base + ip.offset + ip.totalLength)` (unless the total
 *   length is 0, which tshark reads as TCP segmentation offload and ignores);
 * - after an IPv6 layer: `min(reportedEnd, ctx.base + ip.offset + 40 + ip.payloadLengthField)`;
 * - inside the datagram an ICMP error quotes: `undefined`, since the quote is cut short on purpose
 *   and tshark says nothing about it there.
 *
 * When `reportedEnd` is undefined, decoders report no "length exceeds" anomaly at all: without it a
 * short frame cannot be told from a snapped one. Lengths that are wrong in themselves (an IPv4 total
 * length below its header length, a UDP length below 8) are reported either way.
 */
import { CollectingContext, type DecodeContext } from '../context.js';

/** A context that may know the absolute index one past the current layer's last byte on the wire. */
export interface ReportedEndContext extends DecodeContext {
  readonly reportedEnd?: number | undefined;
}

/** A {@link CollectingContext} with a settable `reportedEnd`: for tests and one-off decoding. */
export class ReportedEndCollectingContext extends CollectingContext implements ReportedEndContext {
  reportedEnd: number | undefined;
  constructor(base = 0, reportedEnd?: number, frame = 1) {
    super(base, frame);
    this.reportedEnd = reportedEnd;
  }
}

/**
 * True when the context knows where the layer ended on the wire and `claimedEnd` (an absolute index a
 * length field points to) lies past it.
 */
export function exceedsReportedEnd(ctx: DecodeContext, claimedEnd: number): boolean {
  const reported = (ctx as ReportedEndContext).reportedEnd;
  return reported !== undefined && claimedEnd > reported;
}
