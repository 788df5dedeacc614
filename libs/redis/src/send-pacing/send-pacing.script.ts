/**
 * One atomic reservation of a send slot for a session (see SendPacer). Times come from the Redis
 * clock, so processes with skewed clocks share one schedule. A reservation is the earliest time
 * every enabled limit allows; each limit only ever pushes it later, and a later time never breaks
 * a limit already satisfied, so one pass over the limits finds it.
 *
 * KEYS: 1 state hash (last, tokens, ts), 2 session send log, 3 recipient send log
 * ARGV: 1 bucket refill per ms (0 = off), 2 bucket size, 3 pause after the previous send in ms
 *       (drawn by the caller, 0 = off), 4 per-minute cap, 5 per-hour cap, 6 per-recipient-hour cap
 *       (0 = off), 7 longest wait granted (0 = any), 8 unique log member, 9 '1' = only tell the wait
 *       (reserve nothing)
 * Returns {1, waitMs, limit} for a reservation (or, with 9, the wait one would get now), {0, waitMs, limit}
 * for a refusal.
 */
export const SEND_PACING_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local rate, burst, delay = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local perMinute, perHour, perRecipient = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxWait, member, peek = tonumber(ARGV[7]), ARGV[8], ARGV[9] == '1'
local MINUTE, HOUR = 60000, 3600000

local state = redis.call('HMGET', KEYS[1], 'last', 'tokens', 'ts')
local last = tonumber(state[1])
local at, limit = now, 'none'
local function raise(candidate, reason)
  if candidate > at then at = candidate; limit = reason end
end

-- A session's sends go out in reservation order: never before the previous reservation.
if last then
  raise(last, 'backlog')
  if delay > 0 then raise(last + delay, 'delay') end
end

local storedTokens, storedAt
if rate > 0 then
  storedTokens = tonumber(state[2]) or burst
  storedAt = tonumber(state[3]) or at
  local tokens = math.min(burst, storedTokens + (at - storedAt) * rate)
  if tokens < 1 then raise(at + math.ceil((1 - tokens) / rate), 'rate') end
end

-- Sliding windows over reserved times (all of them at or before 'at'): the count-th most recent
-- reservation must have left the window.
local function cap(key, count, window, reason)
  if count <= 0 then return end
  local inWindow = redis.call('ZCOUNT', key, '(' .. (at - window), '+inf')
  if inWindow >= count then
    local oldest = redis.call('ZRANGEBYSCORE', key, '(' .. (at - window), '+inf', 'WITHSCORES', 'LIMIT', inWindow - count, 1)
    raise(tonumber(oldest[2]) + window, reason)
  end
end
cap(KEYS[2], perMinute, MINUTE, 'per_minute')
cap(KEYS[2], perHour, HOUR, 'per_hour')
cap(KEYS[3], perRecipient, HOUR, 'per_recipient')

local wait = at - now
if peek then return {1, wait, limit} end
if maxWait > 0 and wait > maxWait then return {0, wait, limit} end

redis.call('HSET', KEYS[1], 'last', at)
local keepState = HOUR
if rate > 0 then
  local tokens = math.min(burst, storedTokens + (at - storedAt) * rate) - 1
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', at)
  keepState = math.max(keepState, math.ceil(burst / rate))
end
redis.call('PEXPIRE', KEYS[1], wait + keepState)
if perMinute > 0 or perHour > 0 then
  local window = perHour > 0 and HOUR or MINUTE
  redis.call('ZADD', KEYS[2], at, member)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  redis.call('PEXPIRE', KEYS[2], wait + window)
end
if perRecipient > 0 then
  redis.call('ZADD', KEYS[3], at, member)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - HOUR)
  redis.call('PEXPIRE', KEYS[3], wait + HOUR)
end
return {1, wait, limit}
`;
