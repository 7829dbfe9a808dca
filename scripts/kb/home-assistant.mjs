#!/usr/bin/env node
// Converts Home Assistant's generated discovery tables into peephole's product patterns:
//
//   node scripts/kb/home-assistant.mjs FOLDER
//
// FOLDER holds the three files as fetched from a Home Assistant checkout (or a fork of it):
// homeassistant/generated/dhcp.py, zeroconf.py and ssdp.py, and SOURCES.tsv saying, for each file,
// the repository, path, commit and licence it was read from (columns file, repo, path, commit,
// licence). Home Assistant is Apache-2.0; only the facts are taken (which host name, MAC prefix,
// service type, HomeKit model or SSDP type a brand's device announces), never code.
//
// Each matcher becomes one row of data/patterns/home-assistant-{dhcp,mdns,ssdp}.tsv, with the brand
// and category that scripts/kb/home-assistant-brands.tsv gives the integration (or the one matcher);
// matchers of integrations that table does not name are skipped and counted. The rows' source cell
// names the file and commit they came from. Rerun after updating FOLDER; the tables are rewritten.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = process.argv[2];
if (!folder) {
  process.stderr.write('usage: node scripts/kb/home-assistant.mjs FOLDER (holding dhcp.py, zeroconf.py, ssdp.py and SOURCES.tsv)\n');
  process.exit(1);
}
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const date = process.env.KB_DATE ?? new Date().toISOString().slice(0, 10);

function tsv(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((c, i) => [header[i], c.trim()])));
}

const sources = new Map(tsv(join(folder, 'SOURCES.tsv')).map((r) => [r.file, r]));
const brands = tsv(join(here, 'home-assistant-brands.tsv'));

/** A Python literal (dicts, lists, strings, True/False) after `NAME... =` in `text`, as a JS value. */
function pythonLiteral(text, name) {
  const at = text.search(new RegExp(`^${name}\\b[^=\\n]*=`, 'm'));
  if (at < 0) throw new Error(`${name} not found`);
  const start = text.indexOf('=', at) + 1;
  const open = text.slice(start).search(/[[{]/) + start;
  let depth = 0;
  let end = open;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        end = i + 1;
        break;
      }
    }
  }
  const json = text
    .slice(open, end)
    .replace(/#[^\n"]*$/gm, '')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(json);
}

function source(file) {
  const s = sources.get(file);
  if (!s) throw new Error(`SOURCES.tsv has no row for ${file}`);
  return `github:${s.repo}:${s.path}@${s.commit.slice(0, 12)} (${s.licence})`;
}

/** The brand row for a matcher of `domain`: the one for `match` when there is one, else the domain's. */
function brand(domain, ...matches) {
  for (const m of matches) {
    const r = brands.find((b) => b.domain === domain && b.match !== '' && b.match.toLowerCase() === String(m).toLowerCase());
    if (r) return r;
  }
  return brands.find((b) => b.domain === domain && b.match === '') ?? null;
}

const skipped = new Map();
function skip(file, domain) {
  const key = `${file}:${domain}`;
  skipped.set(key, (skipped.get(key) ?? 0) + 1);
}

const HEADER = ['clue', 'pattern', 'condition', 'vendor', 'category', 'product', 'source', 'date'];
function write(name, what, file, rows) {
  const seen = new Set();
  const unique = rows.filter((r) => {
    const key = `${r[0]}\t${r[1]}\t${r[2]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const text = [
    `# ${what}, converted from Home Assistant's generated discovery table by scripts/kb/home-assistant.mjs`,
    `# from ${source(file)}; brands and categories from scripts/kb/home-assistant-brands.tsv.`,
    '# Do not edit by hand: rerun the converter. Format: data/README.md (patterns/).',
    HEADER.join('\t'),
    ...unique.map((r) => [...r, source(file), date].join('\t')),
  ].join('\n');
  writeFileSync(join(root, 'data', 'patterns', name), text + '\n');
  process.stderr.write(`${name}: ${unique.length} rows\n`);
}

// DHCP: a host name glob (with a MAC prefix condition when given), or a MAC prefix alone.
{
  const rows = [];
  for (const m of pythonLiteral(readFileSync(join(folder, 'dhcp.py'), 'utf8'), 'DHCP')) {
    if (m.registered_devices) continue;
    const b = brand(m.domain, m.hostname ?? '');
    if (!b) {
      skip('dhcp.py', m.domain);
      continue;
    }
    const mac = m.macaddress ? m.macaddress.toUpperCase() : '';
    if (m.hostname) rows.push(['dhcp_host_name', m.hostname, mac ? `mac=${mac}` : '', b.vendor, b.category, b.product]);
    else if (mac) rows.push(['mac_prefix', mac, '', b.vendor, b.category, b.product]);
  }
  write('home-assistant-dhcp.tsv', 'DHCP host names and MAC prefixes', 'dhcp.py', rows);
}

// Zeroconf: a service type, with an instance name or TXT condition when given; HomeKit models (TXT md=).
{
  const text = readFileSync(join(folder, 'zeroconf.py'), 'utf8');
  const rows = [];
  for (const [type, matchers] of Object.entries(pythonLiteral(text, 'ZEROCONF'))) {
    const service = type.replace(/\.local\.$/, '');
    for (const m of matchers) {
      const props = Object.entries(m.properties ?? {});
      const b = brand(m.domain, service, ...props.map(([k, v]) => `${k}=${v}`));
      if (!b) {
        skip('zeroconf.py', m.domain);
        continue;
      }
      let condition = '';
      if (m.name) condition = `name=${m.name}`;
      else if (props.length > 0 && props[0][1] !== '*') condition = `txt:${props[0][0].toLowerCase()}=${props[0][1]}`;
      rows.push(['mdns_service', service, condition, b.vendor, b.category, b.product]);
    }
  }
  for (const [model, m] of Object.entries(pythonLiteral(text, 'HOMEKIT'))) {
    const b = brand(m.domain, model);
    if (!b) {
      skip('zeroconf.py', m.domain);
      continue;
    }
    rows.push(['mdns_txt', `md=${model}`, '', b.vendor, b.category, b.product]);
  }
  write('home-assistant-mdns.tsv', 'mDNS service types and HomeKit models', 'zeroconf.py', rows);
}

// SSDP: an ST or device type (NT on the wire) that names the brand; else the description's manufacturer and model.
{
  const rows = [];
  for (const [domain, matchers] of Object.entries(pythonLiteral(readFileSync(join(folder, 'ssdp.py'), 'utf8'), 'SSDP'))) {
    for (const m of matchers) {
      const b = brand(domain, m.st ?? '', m.deviceType ?? '');
      if (!b) {
        skip('ssdp.py', domain);
        continue;
      }
      const brandType = (t) => t && !/^urn:schemas-upnp-org:/i.test(t);
      if (m.st && (brandType(m.st) || !m.manufacturer)) rows.push(['ssdp_type', m.st, '', b.vendor, b.category, b.product]);
      else if (brandType(m.deviceType)) rows.push(['ssdp_type', m.deviceType, '', b.vendor, b.category, b.product]);
      else if (m.modelName) rows.push(['ssdp_model', m.modelName, '', b.vendor, b.category, b.product]);
      else if (m.manufacturer) rows.push(['ssdp_manufacturer', m.manufacturer, '', b.vendor, b.category, b.product]);
    }
  }
  write('home-assistant-ssdp.tsv', 'SSDP types, manufacturers and models', 'ssdp.py', rows);
}

for (const [key, n] of [...skipped].sort()) process.stderr.write(`skipped (no brand in home-assistant-brands.tsv): ${key} (${n})\n`);
