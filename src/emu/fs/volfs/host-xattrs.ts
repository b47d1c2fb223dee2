// Extended attributes of a host tree, for importTree: Node.js has no xattr calls, so one python3 process
// lists them (os.listxattr/getxattr, never following symlinks) for the whole tree at once. Without python3,
// or on a host without xattrs, the answer is an empty map and the caller says so.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import os, sys, json
out = {}
root = sys.argv[1]
for dp, dn, fn in os.walk(root):
    for n in [''] + dn + fn:
        p = os.path.join(dp, n) if n else dp
        try:
            names = os.listxattr(p, follow_symlinks=False)
        except OSError:
            continue
        if names:
            rel = os.path.relpath(p, root)
            out[os.fsencode(rel).hex()] = {k: os.getxattr(p, k, follow_symlinks=False).hex() for k in names}
json.dump(out, sys.stdout)
`;

/** Host relative path (latin1 byte string, "." for the root) -> xattr name -> value; null when unavailable. */
export function hostXattrs(dir: string): Map<string, Map<string, Buffer>> | null {
  const r = spawnSync('python3', ['-c', SCRIPT, dir], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 || r.error) return null;
  const out = new Map<string, Map<string, Buffer>>();
  for (const [rel, attrs] of Object.entries(JSON.parse(r.stdout) as Record<string, Record<string, string>>)) {
    out.set(Buffer.from(rel, 'hex').toString('latin1'),
      new Map(Object.entries(attrs).map(([k, v]) => [k, Buffer.from(v, 'hex')])));
  }
  return out;
}
