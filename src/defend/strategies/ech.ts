/**
 * `ech`: every device sends its TLS ClientHellos with Encrypted ClientHello (RFC 9849), as a vendor's
 * cloud behind a CDN that offers it would let it (frames/ech.ts): the server name an observer reads
 * is the CDN's one public name, the real one travels encrypted. Alone it leaves the DNS questions that
 * name the same servers (and a real client learns the ECH config from the server's HTTPS record in
 * DNS, which plain DNS would show too): combine it with `encrypted-dns` (`encrypted-dns+ech`), as
 * browsers do (Firefox offers ECH only with DNS over HTTPS). The cost: each hello grows by the
 * extension less the shorter name, nothing is delayed: 172 bytes a hello on average over the family
 * home's 21 hellos of a day (`peephole defend` on `peephole simulate --home family --days 1 --seed 3`:
 * +3.6 kB a day), 218 over the 323 hellos of the shared tls-bulk-sni-browsing.pcap (+70.4 kB).
 */
import { echFrames } from '../frames/ech.js';
import { defence, type Defence, type Strategy } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';

/**
 * Cloudflare's public name and the config id of its published ECHConfig (developers.cloudflare.com
 * /ssl/edge-certificates/ech/: "We chose cloudflare-ech.com as the SNI that all websites will share
 * on Cloudflare"; the config, decoded on ntc.party, has id 0xf2 and maximum_name_length 0).
 */
export const ECH_PUBLIC_NAME = 'cloudflare-ech.com';
export const ECH_CONFIG_ID = 0xf2;

export const ECH: Strategy = {
  name: 'ech',
  family: 'hiding',
  summary: "each TLS ClientHello names a CDN's one public name and carries the real one encrypted (Encrypted ClientHello)",
  params: [
    {
      name: 'maxName',
      description: "the config's maximum_name_length: inner names are padded to it (then to 32), so their lengths say less",
      unit: 'bytes',
      default: 0,
      min: 0,
      max: 255,
      integer: true,
    },
  ],
  sweep: null,
  create(params: ParamValues): Defence {
    return defence('ech', params, { frames: echFrames({ publicName: ECH_PUBLIC_NAME, configId: ECH_CONFIG_ID, maxNameLength: numberParam(params, 'maxName') }) });
  },
};
