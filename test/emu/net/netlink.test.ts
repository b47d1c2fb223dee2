// Differential: AF_NETLINK NETLINK_ROUTE — getifaddrs, if_nameindex and the raw protocol (dumps, gets, ACKs,
// errors, port ids) show the host's interfaces as native Linux does; NETLINK_AUDIT user records are acknowledged
// with CAP_AUDIT_WRITE, EPERM without (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['netlink-route', 'netlink-audit']);
