import test from 'ava';
import { SYSCALL_TABLE } from '../../../src/emu/syscalls/table.js';
import { SYSCALL_NAMES } from '../../../src/emu/syscalls/names.js';

test('every x86-64 syscall number has an entry with a status', (t) => {
  for (const [nr, name] of SYSCALL_NAMES) {
    const def = SYSCALL_TABLE[nr];
    t.truthy(def, `no entry for ${nr} ${name}`);
    t.is(def!.name, name);
    t.true(['supported', 'partial', 'enosys'].includes(def!.status), `${name}: status ${def!.status}`);
  }
});

test('partial and ENOSYS entries say why; supported and partial ones have handlers', (t) => {
  for (const def of SYSCALL_TABLE) {
    if (!def) continue;
    if (def.status !== 'supported') t.truthy(def.note, `${def.name} (${def.status}) has no note`);
    if (def.status !== 'enosys') t.is(typeof def.handler, 'function', `${def.name} has no handler`);
    t.true(def.args.length <= 6, `${def.name} declares more than 6 arguments`);
  }
});

test('the numbers the x86-64 ABI never assigned stay empty', (t) => {
  for (let nr = 335; nr < 424; nr++) t.is(SYSCALL_TABLE[nr], undefined);
});
