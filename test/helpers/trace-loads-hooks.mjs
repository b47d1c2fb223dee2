// The resolve hook of trace-loads.mjs (module hooks run on their own thread).
import fs from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(process.env.PBASH_TRACE_LOADS, `${r.url}\n`);
  return r;
}
