// Differential: AF_NETLINK NETLINK_ROUTE — getifaddrs, if_nameindex and the raw protocol (dumps, gets, ACKs,
// errors, port ids) show the host's interfaces as native Linux does (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['netlink-route']);
