export type { Fault, FaultKind } from './fault-proxy/fault.js';
export {
  type FaultPlan,
  type FaultProxy,
  type ProxiedRequest,
  type ProxyRecord,
  type StartFaultProxyOptions,
  startFaultProxy,
} from './fault-proxy/start-fault-proxy.js';
export { freePort } from './free-port.js';
export { type AccessLogEntry, parseAccessLog } from './nginx/access-log.js';
export { findNginx } from './nginx/find-nginx.js';
export { type NginxServer, type StartNginxOptions, startNginx } from './nginx/start-nginx.js';
export { withNginx } from './nginx/with-nginx.js';
