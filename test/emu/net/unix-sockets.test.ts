// Differential: AF_UNIX sockets beyond socketpair — bind/listen/accept/connect on paths and abstract names,
// datagram addressing, names and their lengths, errors (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['unix-stream', 'unix-dgram']);
