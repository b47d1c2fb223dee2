// rtnetlink requests built by hand and mutated at random: every reply is well-formed netlink (aligned messages
// that fill their datagram), a dump ends in NLMSG_DONE, and no input makes the kernel throw. (Arbitrary
// requests are not sent natively: as root they could change the host's interfaces.)
import test from 'ava';
import { NLMSG, NLM_F, rtnetlinkReply } from '../../../src/emu/net/rtnetlink.js';

function request(type: number, flags: number, body: Uint8Array, seq = 1): Uint8Array {
  const m = new Uint8Array(16 + body.length);
  const dv = new DataView(m.buffer);
  dv.setUint32(0, m.length, true);
  dv.setUint16(4, type, true);
  dv.setUint16(6, flags, true);
  dv.setUint32(8, seq, true);
  m.set(body, 16);
  return m;
}

/** The messages of a datagram: [type, flags] each; throws when lengths do not tile it exactly. */
function parse(gram: Uint8Array): Array<[number, number]> {
  const dv = new DataView(gram.buffer, gram.byteOffset, gram.byteLength);
  const out: Array<[number, number]> = [];
  for (let o = 0; o < gram.length;) {
    const len = dv.getUint32(o, true);
    if (len < 16 || o + len > gram.length) throw new Error(`bad message length ${len} at ${o}`);
    out.push([dv.getUint16(o + 4, true), dv.getUint16(o + 6, true)]);
    o += (len + 3) & ~3;
  }
  return out;
}

const quiet = (): void => {};

test('dumps of links and addresses end in NLMSG_DONE; NEW requests are refused', (t) => {
  for (const type of [18, 22]) {
    const msgs = rtnetlinkReply(request(type, NLM_F.REQUEST | NLM_F.DUMP, new Uint8Array(16)), 42, false, quiet).flatMap(parse);
    t.true(msgs.length >= 2);
    t.deepEqual(msgs[msgs.length - 1], [NLMSG.DONE, NLM_F.MULTI]);
    t.true(msgs.slice(0, -1).every(([ty, fl]) => ty === type - 2 && fl === NLM_F.MULTI));
  }
  const errno = (privileged: boolean): number => {
    const [gram] = rtnetlinkReply(request(20, NLM_F.REQUEST, new Uint8Array(8)), 42, privileged, quiet);
    return new DataView(gram.buffer, gram.byteOffset).getInt32(16, true);
  };
  t.is(errno(false), -1); // EPERM
  t.is(errno(true), -95); // EOPNOTSUPP: never the host's configuration
});

test('arbitrary and mutated requests: well-formed replies, never a throw', (t) => {
  let seed = 12345;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
  const bases = [18, 22, 26, 20, 3, 0x7fff].flatMap((ty) => [request(ty, NLM_F.REQUEST | NLM_F.DUMP, new Uint8Array(16)), request(ty, NLM_F.REQUEST | NLM_F.ACK, new Uint8Array(24))]);
  let replies = 0;
  for (let i = 0; i < 5000; i++) {
    const base = bases[rand(bases.length)];
    const m = i % 3 === 0 ? Uint8Array.from({ length: rand(80) }, () => rand(256)) : Uint8Array.from(base);
    if (i % 3 !== 0) for (let k = rand(4); k >= 0; k--) m[rand(m.length)] = rand(256);
    const grams = rtnetlinkReply(Buffer.concat([m, i % 5 === 0 ? base : new Uint8Array(0)]), rand(1 << 30), rand(2) === 0, quiet);
    replies += grams.flatMap(parse).length;
  }
  t.true(replies > 200, 'the requests that were still valid were answered');
});
