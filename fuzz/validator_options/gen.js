// The random comparison of isURL / isEmail / isFQDN / isIP options with validator.js:
//   NODE_PATH=<sequelize 6 install>/node_modules node fuzz/validator_options/gen.js SEED COUNT > /tmp/cases.lua
//   LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="build/5.4/?.so;;" lua5.4 fuzz/validator_options/cmp.lua /tmp/cases.lua
// node gen.js SEED COUNT > cases.lua : random isURL / isEmail / isFQDN / isIP cases with
// validator.js's answers, as a Lua table { validator, options, input, expected }
const validator = require('validator');
let seed = +(process.argv[2] || 1); const COUNT = +(process.argv[3] || 3000);
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
const pick = a => a[Math.floor(rnd() * a.length)];
const chance = p => rnd() < p;
const L63 = 'a'.repeat(63), L64 = 'b'.repeat(64);
const hosts = ['example.com', 'ex_ample.com', 'localhost', 'a.b', 'a.bc', '1.2.3.4', '256.1.1.1', '01.2.3.4',
  '[::1]', '[2001:db8::1]', '[::ffff:1.2.3.4]', '[fe80::1%eth0]', '[::1', '[]', '[1.2.3.4]', '::1',
  'xn--bcher-kva.de', 'bücher.de', '例え.テスト', 'a-.com', '-a.com', 'a.com.', '*.a.com', 'a.123', 'a.c',
  L63 + '.com', L64 + '.com', 'ｅｘａｍｐｌｅ.com', 'a b.com', '', 'a..com', '_a.com', 'a.co_m', 'my.local.host',
  'EXAMPLE.COM', 'a.xn--p1ai', 'a.com..', 'a.1com', 'x.y.z.museum', 'a.b-c', 'host.😀', '😀.com', 'a.\u3000b',
  'a.é', 'a.©x', 'www.example.com.', '*.*.a.com', '*.com', 'a.ｃom', '1.2.3', 'a.co\u00a0m'];
const protos = ['', '', 'http://', 'https://', 'ftp://', 'HTTP://', 'mailto:', 'javascript:', '//', 'foo://',
  'git+ssh://', 'h:', 'rtmp://', 'Https://', 'http:', 'http:/', 'ws://'];
const auths = ['', '', '', 'user@', 'user:pass@', ':@', '@', 'u:p:x@', ':pass@', 'us%41er@', 'a_b@', 'user:@', 'a@b@'];
const ports = ['', '', '', ':80', ':0', ':65535', ':65536', ':', ':08', ':abc', ':1:2', ':0080', ':99999999999'];
const paths = ['', '', '/', '/p/a', '/a@b', '/x:y', '/ü', '/a b'];
const queries = ['', '', '?q=1', '?a&b', '?'];
const frags = ['', '', '#f', '#', '#a?b'];
const noise = ['.', '-', '_', ':', '@', '/', '[', ']', '%', '#', '?', '&', 'é', '😀', ' ', '<', 'A', '1', '*', '"', '\\', '+', '\u00a0', '\u2028', '\t'];
function mutate(s) {
  if (!chance(0.25)) return s;
  const arr = [...s]; const k = Math.floor(rnd() * (arr.length + 1));
  if (chance(0.5) && arr.length) arr.splice(Math.min(k, arr.length - 1), 1); else arr.splice(k, 0, pick(noise));
  return arr.join('');
}
const goodHosts = ['example.com', 'ex_ample.com', 'localhost', 'a.bc', '1.2.3.4', '[::1]', '[2001:db8::1]', 'bücher.de',
  'a.com.', '*.a.com', 'a.123', L63 + '.com', L64 + '.com', 'xn--bcher-kva.de', 'www.example.com.', 'a.xn--p1ai'];
function url() {
  if (chance(0.5)) return mutate(pick(['', 'http://', 'https://', 'ftp://', '//', 'HTTPS://', 'git+ssh://']) +
    pick(['', '', 'user:pass@', 'u@']) + pick(goodHosts) + pick(['', '', ':8080', ':65536']) + pick(paths) + pick(queries) + pick(frags));
  let h = pick(hosts);
  if (chance(0.1)) h = 'a'.repeat(Math.floor(rnd() * 70)) + '.com';
  let u = pick(protos) + pick(auths) + h + pick(ports) + pick(paths) + pick(queries) + pick(frags);
  if (chance(0.03)) u = 'http://' + 'a'.repeat(2080) + '.com';
  return mutate(u);
}
const locals = ['a', 'a.b', 'a..b', '.a', 'a.', '"quoted"', '"q\\"x"', '"a b"', '"ü"', 'üñî', 'a+tag', 'user_name', 'x'.repeat(64),
  'x'.repeat(65), 'a"b', '"', '""', 'abcdef', 'ab.cd.ef', 'ABCDEF', 'abc', 'abcdef+tag', 'a_bcdef', 'abcdef+ÜB', 'ABCDEF+Σx',
  'a'.repeat(31), 'ab.cdefghij.klmn.opqrstuvw.xyzabcdefgh', '!#$%&\'*+-/=?^_`{|}~', 'a\u00a0b', '"a\u00a0b"', '"a\\\nb"', '"\\ü"',
  'İabcdef', 'K' + 'abcde', 'a@b'];
const edomains = ['example.com', 'gmail.com', 'GMAIL.com', 'googlemail.com', '[1.2.3.4]', '1.2.3.4', '[::1]', '[]', '[', 'localhost',
  'ex_ample.com', 'a.b', 'EXAMPLE.COM', 'xn--80ak6aa92e.com', 'münchen.de', L64 + '.com', 'a.c', 'Example.Com', 'İ.com', 'ΑΣ.com',
  'exam ple.com', 'a.123'];
const displays = ['', '', '', 'Name <', '"Na.me" <', 'Na.me <', '  <', '"a\\"b" <', 'Name<', '"" <', '" " <', 'a\u2028b <',
  '"a\u2028.b" <', 'A <B> <', '"x"y" <', '"\\"" <', '\u00a0 <', 'Ünï <'];
function email() {
  const d = pick(displays);
  let e = d + pick(locals) + '@' + pick(edomains) + (d && chance(0.8) ? '>' : '');
  if (chance(0.05)) e = pick(locals);
  if (chance(0.03)) e = 'a'.repeat(60) + '@' + ('b'.repeat(60) + '.').repeat(4) + 'com';
  return mutate(e);
}
function fqdn() { let h = pick(hosts); if (chance(0.1)) h = pick(hosts) + '.' + pick(hosts); return mutate(h); }
const ips = ['1.2.3.4', '255.255.255.255', '256.1.1.1', '::1', '2001:db8::1', '::ffff:1.2.3.4', 'fe80::1%eth0', '1::2::3', '::',
  '1.2.3', '01.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', 'a', ''];
const bools = ['require_tld', 'require_protocol', 'require_host', 'require_port', 'require_valid_protocol', 'allow_underscores',
  'allow_trailing_dot', 'allow_protocol_relative_urls', 'allow_fragments', 'allow_query_components', 'disallow_auth',
  'validate_length', 'allow_numeric_tld', 'allow_wildcard', 'ignore_max_length'];
const ebools = ['allow_display_name', 'require_display_name', 'allow_utf8_local_part', 'require_tld', 'allow_ip_domain',
  'allow_underscores', 'domain_specific_validation', 'ignore_max_length'];
const fbools = ['require_tld', 'allow_underscores', 'allow_trailing_dot', 'allow_numeric_tld', 'allow_wildcard', 'ignore_max_length'];
function urlOpts() {
  const o = {}; const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) o[pick(bools)] = chance(0.5);
  if (chance(0.2)) o.protocols = pick([['https'], ['ftp', 'git+ssh'], [], ['HTTP'], ['http', 'javascript'], ['h', 'foo']]);
  if (chance(0.1)) o.host_whitelist = pick([['example.com', 'a.b'], [], ['localhost'], ['']]);
  if (chance(0.1)) o.host_blacklist = pick([['example.com', 'a.b'], ['::1'], ['[::1]'], ['EXAMPLE.COM']]);
  if (chance(0.1)) o.max_allowed_length = pick([10, 20, 30, 3000]);
  return o;
}
function emailOpts() {
  const o = {}; const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) o[pick(ebools)] = chance(0.5);
  if (chance(0.15)) o.blacklisted_chars = pick(['abc', 'a-z', '+', '-_', '!#', 'x-', '😀', 'ü', '"', '.']);
  if (chance(0.1)) o.host_blacklist = pick([['example.com', 'gmail.com'], ['ΑΣ.com'], ['ασ.com'], ['i̇.com']]);
  if (chance(0.1)) o.host_whitelist = pick([['example.com'], ['EXAMPLE.COM'], ['münchen.de', 'gmail.com']]);
  return o;
}
function fqdnOpts() { const o = {}; const n = Math.floor(rnd() * 4); for (let i = 0; i < n; i++) o[pick(fbools)] = chance(0.5); return o; }
const cases = [];
for (let i = 0; i < COUNT; i++) {
  const r = rnd();
  if (r < 0.45) { const s = url(); for (let k = 0; k < 3; k++) { const o = urlOpts(); cases.push(['isURL', o, s, validator.isURL(s, { ...o })]); } }
  else if (r < 0.8) { const s = email(); for (let k = 0; k < 3; k++) { const o = emailOpts(); cases.push(['isEmail', o, s, validator.isEmail(s, { ...o })]); } }
  else if (r < 0.95) { const s = fqdn(); for (let k = 0; k < 3; k++) { const o = fqdnOpts(); cases.push(['isFQDN', o, s, validator.isFQDN(s, { ...o })]); } }
  else { const s = mutate(pick(ips)); for (const v of [4, 6, '4', '6']) cases.push(['isIP', v, s, validator.isIP(s, v)]); }
}
function lua(x) {
  if (typeof x === 'string') {
    let out = '"';
    for (const b of Buffer.from(x, 'utf8')) out += (b >= 32 && b < 127 && b !== 34 && b !== 92) ? String.fromCharCode(b) : '\\' + String(b).padStart(3, '0');
    return out + '"';
  }
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return '{' + x.map(lua).join(', ') + '}';
  return '{' + Object.keys(x).sort().map(k => k + ' = ' + lua(x[k])).join(', ') + '}';
}
console.log('return {');
for (const c of cases) console.log('  ' + lua(c) + ',');
console.log('}');
