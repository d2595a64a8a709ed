/**
 * The Lua scripts of the Redis Streams history (redis-streams-message-store.ts). Each runs atomically in
 * Redis, so every node of a cluster sees one order: the script, not a node, gives the next seq.
 *
 * Per conversation two keys: META, a hash {epoch, seq, time} (the current epoch, the newest seq
 * given, its time), and LOG, a stream whose entry ids are `<seq>-0`, so XRANGE/XREVRANGE range by
 * seq directly, with fields t (time in ms), f (sender), m (the sender's message_id), x (text).
 * Count is bounded by XADD MAXLEN; age by XTRIM MINID at the first entry still young enough
 * (times never decrease along a stream, the scripts make sure of it).
 *
 * Times never decrease along a stream: an append whose time is before the previous message's
 * (another node's clock is behind, or the clock stepped back) gets the previous message's time.
 *
 * Lost history: META gone (FLUSHALL, a restart without persistence, eviction), or LOG gone while
 * META says messages were given, starts a new epoch (REQ-15.8); the caller draws it (ARGV), the
 * script never reuses the epoch it replaces.
 */

// Shared by both scripts: KEYS[1] META, KEYS[2] LOG; ARGV[1] now (ms), ARGV[2] max age (ms, 0
// none), ARGV[3] a fresh epoch to start if history was lost. Leaves epoch, seq, last set.
const CURRENT_EPOCH = `
local meta, log = KEYS[1], KEYS[2]
local now, max_age, fresh = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local epoch = tonumber(redis.call('HGET', meta, 'epoch') or '0')
local seq = tonumber(redis.call('HGET', meta, 'seq') or '0')
local last = tonumber(redis.call('HGET', meta, 'time') or '0')
local function lost()
  if fresh == epoch then fresh = (fresh % 4294967295) + 1 end
  epoch, seq, last = fresh, 0, 0
  redis.call('DEL', log)
end
local function forget_expired()
  if max_age <= 0 then return end
  local since = now - max_age
  while true do
    local batch = redis.call('XRANGE', log, '-', '+', 'COUNT', 100)
    if #batch == 0 then return end
    for _, entry in ipairs(batch) do
      if tonumber(entry[2][2]) >= since then
        redis.call('XTRIM', log, 'MINID', entry[1])
        return
      end
    end
    local newest = tonumber(string.match(batch[#batch][1], '^(%d+)'))
    redis.call('XTRIM', log, 'MINID', (newest + 1) .. '-0')
  end
end
if epoch == 0 then lost()
elseif seq > 0 and redis.call('EXISTS', log) == 0 then lost() end
`;

/**
 * Appends one message. ARGV[4] max count (0 none), ARGV[5] its acceptance time (ms), ARGV[6]
 * sender, ARGV[7] message_id, ARGV[8] text. Leaves epoch, seq, time set.
 */
const APPEND = `${CURRENT_EPOCH}
-- Seq cannot pass a u4: the conversation goes on in a new epoch (REQ-15.8).
if seq >= 4294967295 then lost() end
seq = seq + 1
local time = math.max(tonumber(ARGV[5]), last)
local id = seq .. '-0'
local max_count = tonumber(ARGV[4])
if max_count > 0 then
  redis.call('XADD', log, 'MAXLEN', max_count, id, 't', time, 'f', ARGV[6], 'm', ARGV[7], 'x', ARGV[8])
else
  redis.call('XADD', log, id, 't', time, 'f', ARGV[6], 'm', ARGV[7], 'x', ARGV[8])
end
redis.call('HSET', meta, 'epoch', epoch, 'seq', seq, 'time', time)
forget_expired()
`;

/** APPEND, returning {epoch, seq, time}. */
export const APPEND_SCRIPT = `${APPEND}
return {epoch, seq, time}`;

/**
 * APPEND, then PUBLISH on channel ARGV[9] the JSON object ARGV[10] with the message's id and time
 * put in front as "stamp":[epoch,seq,time]. Both in one script, so no other script or PUBLISH
 * can come between them: the order of a channel's messages is the order of the ids they carry
 * (REQ-13.18). Returns {epoch, seq, time, subscribers} (what PUBLISH answered).
 */
export const APPEND_AND_PUBLISH_SCRIPT = `${APPEND}
local stamp = string.format('{"stamp":[%d,%d,%d],', epoch, seq, time)
local heard = redis.call('PUBLISH', ARGV[9], stamp .. string.sub(ARGV[10], 2))
return {epoch, seq, time, heard}`;

/**
 * One range of the current epoch. ARGV[4] LATEST|BEFORE|AFTER, ARGV[5] the anchor seq, ARGV[6]
 * the limit. Returns {epoch, oldest, newest, entries} with entries as XRANGE gives them (newest
 * first for latest and before), epoch 0 when the conversation has no history.
 */
export const RANGE_SCRIPT = `${CURRENT_EPOCH}
if epoch ~= tonumber(redis.call('HGET', meta, 'epoch') or '0') then
  if redis.call('EXISTS', meta) == 0 then return {0, 0, 0, {}} end
  redis.call('HSET', meta, 'epoch', epoch, 'seq', seq, 'time', last)
end
forget_expired()
local kind, anchor, limit = ARGV[4], ARGV[5], tonumber(ARGV[6])
local entries = {}
if limit > 0 then
  if kind == 'LATEST' then entries = redis.call('XREVRANGE', log, '+', '-', 'COUNT', limit)
  elseif kind == 'BEFORE' then
    entries = redis.call('XREVRANGE', log, '(' .. anchor .. '-0', '-', 'COUNT', limit)
  else entries = redis.call('XRANGE', log, '(' .. anchor .. '-0', '+', 'COUNT', limit) end
end
local oldest = 0
local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)')) end
return {epoch, oldest, seq, entries}`;

/**
 * KEYS[1] the queue (a list of JSON messages), KEYS[2] its dropped count; ARGV[1] the message,
 * ARGV[2] the bound. The oldest leave first, and are counted.
 */
export const QUEUE_SCRIPT = `
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
local over = length - tonumber(ARGV[2])
if over > 0 then
  redis.call('LTRIM', KEYS[1], over, -1)
  redis.call('INCRBY', KEYS[2], over)
end
return 0`;

/** KEYS as QUEUE_SCRIPT's. Returns {messages, dropped} and empties both: each is taken once. */
export const TAKE_SCRIPT = `
local messages = redis.call('LRANGE', KEYS[1], 0, -1)
local dropped = tonumber(redis.call('GET', KEYS[2]) or '0')
redis.call('DEL', KEYS[1], KEYS[2])
return {messages, dropped}`;
