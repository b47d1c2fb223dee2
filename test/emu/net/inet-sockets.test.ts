// Differential: AF_INET/AF_INET6 sockets over the host's loopback — TCP set-up, data, half-close, resets and
// errors; UDP addressing; IPv6; a large transfer (see helpers/programs.ts). Ports are the host's ephemeral ones.
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['inet-tcp', 'inet-udp', 'inet6', 'inet-bulk', 'inet-wait', 'inet-nonblock-write']);
