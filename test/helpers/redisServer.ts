// One implementation for tests and the fault drill.
export { RedisServer, freePort } from '../../bench/redisServer.js';
