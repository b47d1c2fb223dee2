// Differential: own C programs for poll/select, epoll, eventfd and timerfd (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['poll-select', 'epoll', 'eventfd-timerfd']);
