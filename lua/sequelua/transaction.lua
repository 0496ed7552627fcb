-- transaction.lua: managed and unmanaged transactions. The outermost is BEGIN ...
-- COMMIT/ROLLBACK; one opened while another is active (passed as `transaction`, or else the
-- newest still open: the managed one whose function is running, or an unmanaged one begun
-- after it) is a savepoint, rolled back alone.
local core = require("sequelua.core")
local errors = require("sequelua.errors")

local Transaction = {}
Transaction.__index = Transaction
Transaction.TYPES = { DEFERRED = "DEFERRED", IMMEDIATE = "IMMEDIATE", EXCLUSIVE = "EXCLUSIVE" }
-- Sequelize's isolation levels: a transaction's isolationLevel option (or the db's, the
-- constructor's isolationLevel) runs, after BEGIN, the dialect's statement for it, as
-- Sequelize's sqlite: PRAGMA read_uncommitted = ON (READ_UNCOMMITTED) / OFF (READ_COMMITTED),
-- a comment line for the others (core.isolation); the PRAGMA's state (the value it had
-- before) is restored when the transaction ends (Sequelize's next transaction on a database file has a connection of its own)
Transaction.ISOLATION_LEVELS = { READ_UNCOMMITTED = "READ UNCOMMITTED", READ_COMMITTED = "READ COMMITTED",
                                 REPEATABLE_READ = "REPEATABLE READ", SERIALIZABLE = "SERIALIZABLE" }
Transaction.LOCK = { UPDATE = "UPDATE", SHARE = "SHARE", KEY_SHARE = "KEY SHARE", NO_KEY_UPDATE = "NO KEY UPDATE" }
Transaction.__tostring = function(t) return "Transaction " .. t.id end

local unpack = table.unpack or unpack
local pack = table.pack or function(...) return { n = select("#", ...), ... } end

-- a version-4 UUID, as Sequelize names its transactions (from SQLite's generator: Lua's
-- math.random is not seeded per process under LuaJIT)
local new_id = core.uuidv4

local function root_of(t)
  while t.parent do t = t.parent end
  return t
end

-- Unmanaged transactions (db:transaction() without a function) still open, newest last:
-- a transaction or nested create begun meanwhile without one is a savepoint in the newest.
local function unlist(t)
  local open = t.sequelize._unmanaged
  for i = #open, 1, -1 do
    if open[i] == t then table.remove(open, i) break end
  end
end

-- A transaction begun without `transaction` while others are open (Sequelize: a transaction
-- of its own, on a connection of its own) is a savepoint on top of them here: a statement
-- given one of those below it would run inside it, and its rollback would undo that write
-- though the transaction given then commits. So those below are marked covered (t._covered,
-- a count the binding reads: such a statement is refused, as is a savepoint begun in one)
-- until it ends. (Begun with `transaction`, a savepoint is one in Sequelize too, and such a
-- statement runs inside it there as well.)
local function cover(sequelize, t)
  local below = { root_of(t) }
  for _, x in ipairs(sequelize._sp or {}) do
    if x ~= t and not x.finished then below[#below + 1] = x end
  end
  for _, x in ipairs(below) do x._covered = (x._covered or 0) + 1 end
  t._covers = below
end

local function uncover(t)
  local below = t._covers
  if not below then return end
  t._covers = nil
  for _, x in ipairs(below) do
    local n = x._covered - 1
    x._covered = n > 0 and n or nil
  end
end

-- Savepoints still open when their transaction ends end with it (state: its own), so that
-- one used afterwards raises instead of writing outside any transaction
local function close_savepoints(t, state)
  for _, sp in ipairs(t.savepoints) do
    if not sp.finished then
      sp.finished = state
      uncover(sp)
      unlist(sp)
      close_savepoints(sp, state)
    end
  end
end

-- The savepoints on the connection's stack, oldest first (sequelize._sp). RELEASE and ROLLBACK
-- TO end every savepoint above the one they name, so one committed while a later one is still
-- open (a sibling begun after it, unmanaged) stays on the stack, its commit running no SQL (as
-- every savepoint commit in Sequelize), and is released once all above it have ended.
local function stack_index(t)
  local sp = t.sequelize._sp or {}
  for i = #sp, 1, -1 do
    if sp[i] == t then return i end
  end
end

-- RELEASE the lowest of the savepoints at the top of the stack that have all ended
local function settle(sequelize)
  local sp = sequelize._sp or {}
  local k = #sp + 1
  while k > 1 and sp[k - 1].finished do k = k - 1 end
  if k > #sp then return end
  local t = sp[k]
  for i = #sp, k, -1 do sp[i] = nil end
  core.commit(sequelize._db, t.name, { transaction = root_of(t), logging = t.options.logging })
end

-- The transaction a call without `transaction` is in: the newest still open, the top of the
-- connection's stack, whether a managed one (running its function) or an unmanaged one. (The
-- managed one running is not always it: an unmanaged one begun in its function is above it.)
-- A transaction begun, or a library call's savepoint, without `transaction` nests in it, so
-- that a rollback of that one ends it too (ROLLBACK TO ends every savepoint above), and a
-- library call hands its statements one that is not covered (below).
local function newest(sequelize)
  local stack, open = sequelize._tx_stack, sequelize._unmanaged or {}
  local a, b = stack[#stack], open[#open]
  if a and a.finished then a = nil end
  if b and b.finished then b = nil end
  if not (a and b) or a == b then return a or b end
  local ia, ib = a.parent and stack_index(a) or 0, b.parent and stack_index(b) or 0
  return (ib or 0) > (ia or 0) and b or a
end

-- The savepoint stack emptied (the outermost transaction begun or ended): a new table only
-- when the one there holds any (the stack is read through sequelize._sp alone, never kept)
local function empty_stack(sequelize)
  local sp = sequelize._sp
  if sp == nil or sp[1] ~= nil then sequelize._sp = {} end
end

local function covered_message(t)
  return "options.transaction (" .. (t.name or t.id) .. ") cannot be used while a transaction begun after it " ..
    "without `transaction` is open: on the one connection that one is a savepoint above it, whose rollback " ..
    "would undo this statement's work (end that one first, or begin it with { transaction = ... })"
end

local function begin(sequelize, parent, opts, internal, explicit)
  -- t.options as Sequelize fills them: the type (the db's transactionType, DEFERRED by
  -- default; any case), readOnly false, then the caller's
  local o = {}
  if opts then for k, v in pairs(opts) do o[k] = v end end
  if type(o.type) == "string" then o.type = o.type:upper() end
  if o.type == nil then o.type = sequelize.options.transactionType or "DEFERRED" end
  if o.readOnly == nil then o.readOnly = false end
  if o.isolationLevel == nil then o.isolationLevel = sequelize.options.isolationLevel end
  o.transaction = nil -- (the parent: t.parent; Sequelize deletes it from the options)
  opts = o
  local t = setmetatable({ sequelize = sequelize, parent = parent, id = new_id(), options = opts,
                           savepoints = {} }, Transaction)
  if parent then
    if parent._unstarted then
      error(errors.new(errors.Error, "options.transaction never started (Transaction.new makes one that does not: "
        .. "begin one with db:transaction())"), 3)
    end
    if parent.finished then -- (Sequelize's message for a query on it: the SAVEPOINT that would begin this)
      error(errors.new(errors.Error, parent.finished .. " has been called on this transaction(" .. parent.id ..
        "), you can no longer use it. (The rejected query is attached as the 'sql' property of this error)",
        { sql = "SAVEPOINT `" .. (parent.name or parent.id) .. "-sp-" .. ((parent._named or 0) + 1) .. "`;" }), 3)
    end
    if parent._covered and explicit then
      error(errors.new(errors.Error, covered_message(parent)), 3)
    end
    parent.savepoints[#parent.savepoints + 1] = t
    -- named after its parent's name (Sequelize: after the root's id, so that a savepoint's own
    -- savepoint took its name, `<id>-sp-1` twice, and ROLLBACK TO the outer one went back to the
    -- inner one only: a child's name must be one no other open savepoint has). The number counts
    -- the savepoints Sequelize would have begun in the parent: those of db:transaction and
    -- findOrCreate. The ones sequelua begins for itself to keep a call atomic (a create with
    -- includes, individualHooks, upsert, the association setters: Sequelize runs those in the
    -- transaction without one) are `<parent>-atomic-<n>`, numbered apart, so that a user's
    -- savepoint has the name Sequelize gives it
    if internal then
      parent._atomic = (parent._atomic or 0) + 1
      t.name = (parent.name or parent.id) .. "-atomic-" .. parent._atomic
    else
      parent._named = (parent._named or 0) + 1
      t.name = (parent.name or parent.id) .. "-sp-" .. parent._named
    end
    t.id = parent.id
  end
  core.begin(sequelize._db, t.name, { transaction = t, logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters,
                                      type = not parent and opts.type or nil })
  -- (a savepoint runs nothing for it, nor does a transaction sequelua begins for itself, where
  -- Sequelize has none; one the statement fails in is rolled back, as Sequelize's)
  if not parent and not internal and opts.isolationLevel ~= nil then
    local ok, err = pcall(core.isolation, sequelize._db, opts.isolationLevel, { transaction = t, logging = opts.logging, logQueryParameters = opts.logQueryParameters })
    if not ok then
      sequelize._sp = {}
      pcall(core.rollback, sequelize._db, nil, { transaction = t, logging = opts.logging, logQueryParameters = opts.logQueryParameters })
      t.finished = "rollback"
      error(err, 0)
    end
  end
  if parent then
    sequelize._sp = sequelize._sp or {}
    sequelize._sp[#sequelize._sp + 1] = t
  else
    empty_stack(sequelize)
  end
  return t
end

-- Transaction.new(sequelize [, options]): Sequelize's `new Transaction(sequelize, options)`, a
-- transaction object that never starts (db:transaction() begins one): its options filled as
-- begin fills them and an id; its rollback raises Sequelize's "never started", and so do its
-- commit and a query given it (Sequelize fails there with a TypeError reading its connection)
function Transaction.new(sequelize, opts)
  if type(sequelize) ~= "table" or sequelize._db == nil or sequelize._tx_stack == nil then
    error(errors.new(errors.Error, "Transaction.new: expected a Sequelize instance (from Sequelize.new)"), 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(errors.new(errors.Error, "Transaction.new: options must be a table"), 2)
  end
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  if type(o.type) == "string" then o.type = o.type:upper() end
  if o.type == nil then o.type = sequelize.options.transactionType or "DEFERRED" end
  if o.readOnly == nil then o.readOnly = false end
  if o.isolationLevel == nil then o.isolationLevel = sequelize.options.isolationLevel end
  o.transaction = nil
  return setmetatable({ sequelize = sequelize, id = new_id(), options = o, savepoints = {}, _unstarted = true },
                      Transaction)
end

function Transaction:commit()
  if self._unstarted then
    error(errors.new(errors.Error, "Transaction cannot be committed because it never started"), 2)
  end
  if self.finished then
    error(errors.new(errors.Error, "Transaction cannot be committed because it has been finished with state: " ..
      self.finished), 2)
  end
  local ok, err = true, nil
  local sp = self.sequelize._sp or {}
  local i = self.parent and stack_index(self)
  if not self.parent then
    ok, err = pcall(core.commit, self.sequelize._db, self.name,
                    { transaction = self, logging = self.options.logging })
    empty_stack(self.sequelize)
  elseif i then -- (a savepoint: released now unless one above it, not its own, is still open)
    local open_above = false
    for j = i + 1, #sp do
      local x = sp[j]
      while x and x ~= self do x = x.parent end
      open_above = open_above or (not sp[j].finished and x == nil)
    end
    if not open_above then
      for j = #sp, i, -1 do sp[j] = nil end
      ok, err = pcall(core.commit, self.sequelize._db, self.name,
                      { transaction = self, logging = self.options.logging })
      if ok then ok, err = pcall(settle, self.sequelize) end
    end
  end -- (else ended by the rollback of one below it: nothing to release, as Sequelize runs nothing)
  if not ok then
    -- a COMMIT that fails (a deferred foreign key, a lock) leaves SQLite's transaction open:
    -- it is rolled back, so that later statements are not inside it, and the transaction is
    -- finished (Sequelize marks it "commit" and drops its connection)
    -- (not on a closed connection: nothing is open there, and Sequelize runs no ROLLBACK)
    if core.is_open(self.sequelize._db) then
      pcall(core.rollback, self.sequelize._db, self.name, { transaction = self, logging = self.options.logging })
    end
    self.finished = "commit"
    uncover(self)
    unlist(self)
    close_savepoints(self, "rollback")
    error(err, 0)
  end
  self.finished = "commit"
  uncover(self)
  unlist(self)
  close_savepoints(self, "commit")
  local after = self._after
  if not after then return end
  if self.parent then
    -- a savepoint's hooks wait for the outermost COMMIT (dropped if a transaction holding it
    -- rolls back): nothing is committed yet. Sequelize runs them here, before the COMMIT and
    -- whether or not the outer transaction later commits
    local p = self.parent
    p._after = p._after or {}
    for _, h in ipairs(after) do p._after[#p._after + 1] = h end
    return
  end
  -- (a live list: a hook may add another, which runs too, as Sequelize's for...of; a
  -- savepoint's hook adding one to its savepoint adds it here: see afterCommit)
  self._running_after = true
  for _, h in ipairs(after) do h[1](h[2]) end
  self._running_after = nil
end

function Transaction:rollback()
  if self._unstarted then
    error(errors.new(errors.Error, "Transaction cannot be rolled back because it never started"), 2)
  end
  if self.finished then
    error(errors.new(errors.Error, "Transaction cannot be rolled back because it has been finished with state: " ..
      self.finished), 2)
  end
  -- the rollback runs even when the logger raises (the core runs it, then reports the
  -- logger's error): the transaction is over either way
  local ok, err = pcall(core.rollback, self.sequelize._db, self.name,
                        { transaction = self, logging = self.options.logging })
  self.finished = "rollback"
  uncover(self)
  unlist(self)
  close_savepoints(self, "rollback")
  if not self.parent then
    empty_stack(self.sequelize)
  else -- (ROLLBACK TO and RELEASE end it and every savepoint above it)
    local i = stack_index(self)
    for j = #self.sequelize._sp, i or math.huge, -1 do self.sequelize._sp[j] = nil end
    if ok then ok, err = pcall(settle, self.sequelize) end
  end
  if not ok then error(err, 0) end
end

function Transaction:afterCommit(fn)
  if type(fn) ~= "function" then error(errors.new(errors.Error, '"fn" must be a function'), 2) end
  -- a savepoint committed, in transactions committed up to the outermost, whose hooks are running
  -- now (its own among them: one adding another to the transaction it is called with): the
  -- hook joins that list, as it joined the savepoint's list that Sequelize runs at its commit.
  -- (Added after the savepoint's commit otherwise, it never runs, as in Sequelize.)
  local to, r = self, self
  while r.parent and r.finished == "commit" do r = r.parent end
  if r ~= self and not r.parent and r._running_after then to = r end
  to._after = to._after or {}
  to._after[#to._after + 1] = { fn, self } -- (called with the transaction it was added to)
end

-- options whose transaction is Sequelize.null or false (JavaScript's `transaction: null`):
-- the same without one
local function no_transaction(opts)
  if opts and (opts.transaction == false or opts.transaction == core.null) then
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.transaction = nil
    return o
  end
  return opts
end

-- db:transaction([opts,] [fn])
local function transaction(sequelize, opts, fn, internal, library)
  if type(opts) == "function" then opts, fn = nil, opts end
  if opts ~= nil and type(opts) ~= "table" then
    error(errors.new(errors.Error, "transaction: options must be a table"), 2)
  end
  opts = no_transaction(opts)
  if fn ~= nil and type(fn) ~= "function" then
    error(errors.new(errors.Error, "transaction: the callback must be a function"), 2)
  end
  if opts and opts.transaction ~= nil and getmetatable(opts.transaction) ~= Transaction then
    error(errors.new(errors.Error, "transaction: options.transaction must be a transaction"), 2)
  end
  local level = opts and opts.isolationLevel
  if level == nil and not internal then level = sequelize.options.isolationLevel end
  if level ~= nil then -- (before anything runs: Sequelize's BEGIN, then raises and rolls back)
    local known = false
    for _, v in pairs(Transaction.ISOLATION_LEVELS) do known = known or v == level end
    if not known then
      error(errors.new(errors.Error, "Unknown isolation level: " .. tostring(level)), 2)
    end
  end
  local explicit = opts and opts.transaction
  -- (another coroutine's transaction open: refused, or rolled back when that one has ended)
  if not explicit then core.tx_check(sequelize._db) end
  local stack = sequelize._tx_stack
  sequelize._unmanaged = sequelize._unmanaged or {}
  local open = sequelize._unmanaged
  -- (a finished transaction given explicitly raises, in begin; one found running does not count)
  local parent = explicit or newest(sequelize)
  local t = begin(sequelize, parent, opts, internal, explicit)
  if parent and not explicit and not library then cover(sequelize, t) end
  if not fn then
    open[#open + 1] = t
    if not parent and sequelize._watch then sequelize._watch(t) end -- (OpenResty: init.lua)
    return t
  end
  -- (OpenResty: watched as an unmanaged one is: a handler that ends its request inside fn,
  -- ngx.exit / ngx.redirect / ngx.exec, never comes back here to commit or roll back)
  if not parent and sequelize._watch then sequelize._watch(t) end
  stack[#stack + 1] = t
  local res = pack(pcall(fn, t))
  for i = #stack, 1, -1 do
    if stack[i] == t then table.remove(stack, i) break end
  end
  if res[1] then
    -- (one the callback committed or rolled back itself raises here, as Sequelize's: "cannot be
    -- committed because it has been finished with state: rollback")
    local ok, err = pcall(t.commit, t)
    if not ok then
      if not t.finished then pcall(t.rollback, t) end
      error(err, 0)
    end
    return unpack(res, 2, res.n)
  end
  if not t.finished then pcall(t.rollback, t) end
  error(res[2], 0)
end

-- fn(t, own) atomically: in a transaction of its own, or a savepoint inside opts.transaction,
-- with t the caller's transaction when there is one (own: the one opened, finished once
-- fn's error rolled it back). A library call that wraps its statements so
-- (individualHooks, nested creates, findOrCreate, upsert, ...) hands hooks and inner calls the
-- transaction Sequelize would: the caller's, whose afterCommit runs at its own commit, not at
-- the release of the savepoint.
--
-- A transaction of its own begins IMMEDIATE (EXCLUSIVE when that is the db's transactionType):
-- such calls read, then write (the links set replaces, the rows individualHooks update), and
-- a DEFERRED one that another connection wrote under meanwhile gets SQLITE_BUSY at its first
-- write at once, the busy timeout not applying to a read lock's upgrade; Sequelize runs those
-- statements one by one, each waiting for the lock. IMMEDIATE waits for the lock up front.
local function atomic(sequelize, opts, fn)
  opts = no_transaction(opts)
  local outer = opts.transaction
  if outer == nil then -- (or the transaction running, which the call joins: see transaction())
    core.tx_check(sequelize._db)
    outer = newest(sequelize)
  end
  if outer == nil and opts.type == nil then
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.type = sequelize.options.transactionType == "EXCLUSIVE" and "EXCLUSIVE" or "IMMEDIATE"
    opts = o
  end
  local counted = opts.savepoint -- (findOrCreate: Sequelize begins a savepoint there too)
  if counted ~= nil then
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.savepoint = nil
    opts = o
  end
  return transaction(sequelize, opts, function(t) return fn(outer or t, t) end, not counted, true)
end

-- The open transactions of a coroutine that has ended without ending them (an OpenResty
-- handler that raised with db:transaction() open, say): nothing can commit them now, so the
-- core has them rolled back before another coroutine's call (binding.c, tx_guard)
local function reap(sequelize)
  local stack, open = sequelize._tx_stack, sequelize._unmanaged or {}
  local roots = {}
  for _, list in ipairs({ stack, open }) do
    for _, t in ipairs(list) do
      local r = t
      while r.parent do r = r.parent end
      if not r.finished then roots[#roots + 1] = r end
    end
  end
  for _, r in ipairs(roots) do
    if not r.finished then pcall(r.rollback, r) end
  end
  for i = #stack, 1, -1 do
    if stack[i].finished then table.remove(stack, i) end
  end
end

-- OpenResty: a call that meets another request's transaction, suspended (its handler yielded
-- inside db:transaction: ngx.sleep, a cosocket), waits for that transaction to end and runs
-- then, as a query waits for a free connection in Sequelize's pool: it neither joins the
-- transaction nor fails. The core refuses such a call before doing anything (binding.c,
-- tx_guard: an error with _wait, the busy timeout in ms); the core functions that can meet
-- it are wrapped here to wait and call again, up to that long, then raise a TimeoutError.
-- The waiting calls queue on an ngx.semaphore (lua-resty-core's, which OpenResty and
-- Debian's nginx Lua module have): a commit or rollback wakes them, first come first served,
-- as Sequelize's pool serves its queue (a transaction whose coroutine died is rolled back
-- through the same rollback; db:close and db:query, which may run a raw COMMIT, wake them
-- too). Without the semaphore they poll: sleeps of 1 ms, doubling to 20 ms. A phase that
-- cannot yield (init_worker_by_lua, a header filter) gets the refusal itself.
local WAITING = { "select", "find_pk", "count", "aggregate", "query", "insert", "bulk_insert", "save",
                  "update_fields", "reload", "update", "destroy", "increment", "sync", "drop",
                  "create_index", "drop_index", "qi_ddl", "begin", "commit", "rollback", "tx_check" }

-- (the calls after which a transaction may have ended: db:query's too, a raw COMMIT / ROLLBACK)
local ENDS = { commit = true, rollback = true, query = true }

local function install_waits(ngx)
  local raw = {}
  local queue, made -- (made at the first wait, in a request: not where the module is loaded)
  -- (the waiters' turn: a wait on the queue, or a sleep; false when the phase cannot yield)
  local function pause_for(pause, left)
    if not made then
      made = true
      local ok, semaphore = pcall(require, "ngx.semaphore")
      if ok and type(semaphore) == "table" and semaphore.new then queue = semaphore.new(0) end
    end
    if queue then
      local ok, woken, err = pcall(queue.wait, queue, math.max(left, 0.001))
      return ok and (woken == true or err == "timeout")
    end
    return (pcall(ngx.sleep, pause))
  end
  local function wake() -- (every call waiting tries again, in the order they came)
    local n = queue:count()
    if n < 0 then queue:post(-n) end
  end
  local function waits(f, ends)
    return function(...)
      local r = pack(pcall(f, ...))
      if ends and queue then wake() end
      if r[1] then return unpack(r, 2, r.n) end
      local e = r[2]
      if type(e) ~= "table" or not e._wait then error(e, 0) end
      ngx.update_time()
      local deadline, pause = ngx.now() + e._wait / 1000, 0.001
      while true do
        if not pause_for(pause, deadline - ngx.now()) then error(e, 0) end -- (a phase that cannot yield)
        r = pack(pcall(f, ...))
        if ends and queue then wake() end
        if r[1] then return unpack(r, 2, r.n) end
        if type(r[2]) ~= "table" or not r[2]._wait then error(r[2], 0) end
        ngx.update_time()
        if ngx.now() >= deadline then
          local msg = ("Timed out after %d ms (the busy timeout) waiting for a transaction another request began, "
                       .. "which is suspended (it yielded inside db:transaction), to end"):format(e._wait)
          local parent = { code = "SQLITE_BUSY", errno = 5, message = msg }
          error(errors.new(errors.TimeoutError, msg, { parent = parent, original = parent }), 0)
        end
        pause = math.min(pause * 2, 0.02)
      end
    end
  end
  for _, name in ipairs(WAITING) do
    raw[name] = assert(core[name], name)
    core[name] = waits(raw[name], ENDS[name])
  end
  local close = assert(core.close, "close")
  raw.close = close
  core.close = function(...)
    local r = pack(pcall(close, ...))
    if queue then wake() end
    if not r[1] then error(r[2], 0) end
    return unpack(r, 2, r.n)
  end
  return raw
end

return { Transaction = Transaction, transaction = transaction, atomic = atomic, reap = reap,
         install_waits = install_waits }
