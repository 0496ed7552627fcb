-- Crash safety: a child process writes to a file database in transactions (each one inserts K
-- rows tagged with its transaction number) and is killed with SIGKILL at random moments, many
-- times. Afterwards PRAGMA integrity_check is ok, every transaction is all or nothing (0 or K
-- rows per tag), and every transaction the child reported as committed is there in full.
-- Half the kills hit a database in the default rollback-journal mode, half one in WAL mode.
local Sequelize = require("sequelua")

local KILLS = 20          -- in total, split over the two journal modes
local K = 25              -- rows per transaction

local INTERP = jit and "luajit" or "lua5.4"

local CHILD = [[
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local path, base, K, mode = arg[1], tonumber(arg[2]), tonumber(arg[3]), arg[4]
local db = Sequelize.new({ dialect = "sqlite", storage = path })
local Items = db:define("Items", {
  tag     = { type = DataTypes.INTEGER, allowNull = false },
  k       = { type = DataTypes.INTEGER, allowNull = false },
  payload = DataTypes.TEXT,
}, { timestamps = false })
db:sync()
io.stdout:write("ready\n")
io.stdout:flush()
local tag = base
local stop = os.time() + 10   -- a safety net: never outlive a parent that failed to kill us
while os.time() < stop do
  tag = tag + 1
  if mode == "bulk" and tag % 2 == 0 then
    local list = {}
    for k = 1, K do list[k] = { tag = tag, k = k, payload = ("p"):rep(100 + k) } end
    Items:bulkCreate(list)
  else
    db:transaction(function(t)
      for k = 1, K do
        Items:create({ tag = tag, k = k, payload = ("x"):rep(100 + k) }, { transaction = t })
      end
    end)
  end
  io.stdout:write("committed ", tag, "\n")
  io.stdout:flush()
end
]]

-- a pseudo-random generator of our own, so that the spec does not disturb math.random
local seed = os.time() % 100000
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end

local function spin(ms)
  local t = os.clock() + ms / 1000
  while os.clock() < t do end
end

describe("crash safety", function()
  local dir, child

  setup(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. dir))
    child = dir .. "/child.lua"
    local f = assert(io.open(child, "w"))
    f:write(CHILD)
    f:close()
  end)

  teardown(function()
    os.execute("rm -rf " .. dir)
  end)

  -- Start a child, let it work for a random while, SIGKILL it. Returns the tags it reported
  -- as committed.
  local function run_and_kill(path, base, mode)
    -- `echo $$; exec ...`: the shell prints its pid, then becomes the interpreter
    local p = assert(io.popen(("echo $$; exec %s %s %s %d %d %s 2>&1"):format(INTERP, child, path, base, K, mode)))
    local pid = tonumber(p:read("*l"))
    local done, seen = {}, {}
    -- wait for "ready" and 0..3 commits, then a random 0..7 ms more: the kill lands at any
    -- point. The kill happens whatever was read, so that no child outlives a failed check.
    local ok, why = pcall(function()
      local first = p:read("*l")
      seen[#seen + 1] = first
      if first ~= "ready" then error("the child did not start") end
      for _ = 1, rand(4) do
        local line = p:read("*l")
        if not line then break end
        seen[#seen + 1] = line
        local tag = tonumber(line:match("^committed (%d+)$"))
        if not tag then error("unexpected output from the child") end
        done[#done + 1] = tag
      end
      spin(rand(8))
    end)
    if pid then os.execute("kill -9 " .. pid .. " 2>/dev/null") end
    local rest = p:read("*a") or ""
    p:close()
    for line in rest:gmatch("[^\n]+") do
      seen[#seen + 1] = line
      local tag = tonumber(line:match("^committed (%d+)$"))
      if tag then done[#done + 1] = tag elseif ok then ok, why = false, "unexpected output from the child" end
    end
    assert.is_not_nil(pid, "no pid from the child")
    assert.is_true(ok, tostring(why) .. ":\n" .. table.concat(seen, "\n"):sub(1, 2000))
    return done
  end

  local function check(path, committed)
    local db = Sequelize.new({ dialect = "sqlite", storage = path })
    local ok = db:query("PRAGMA integrity_check")
    assert.are.equal(1, #ok)
    assert.are.equal("ok", ok[1].integrity_check)
    local counts = {}
    for _, r in ipairs(db:query("SELECT tag, count(*) AS n, count(DISTINCT k) AS d, min(k) AS lo, max(k) AS hi FROM Items GROUP BY tag")) do
      -- all or nothing: a tag present has exactly K rows, k = 1..K
      assert.are.equal(K, r.n, "transaction " .. r.tag .. " is partial")
      assert.are.equal(K, r.d)
      assert.are.equal(1, r.lo)
      assert.are.equal(K, r.hi)
      counts[r.tag] = r.n
    end
    -- every row is complete
    local bad = db:query("SELECT count(*) AS c FROM Items WHERE payload IS NULL OR length(payload) <> 100 + k")
    assert.are.equal(0, bad[1].c)
    -- nothing the child saw committed was lost
    for _, tag in ipairs(committed) do
      assert.are.equal(K, counts[tag], "committed transaction " .. tag .. " is missing")
    end
    local n = 0
    for _ in pairs(counts) do n = n + 1 end
    db:close()
    return n
  end

  for _, mode in ipairs({ "delete", "wal" }) do
    it(("survives %d kills in %s journal mode with every transaction all or nothing"):format(KILLS / 2, mode), function()
      local path = dir .. "/" .. mode .. ".db"
      local db = Sequelize.new({ dialect = "sqlite", storage = path })
      local jm = db:query("PRAGMA journal_mode = " .. mode:upper())
      assert.are.equal(mode, jm[1].journal_mode)
      db:close()
      local committed, hot = {}, 0
      for kill = 1, KILLS / 2 do
        local done = run_and_kill(path, kill * 100000, kill % 2 == 0 and "bulk" or "tx")
        for _, tag in ipairs(done) do committed[#committed + 1] = tag end
        -- a journal left behind means the kill landed inside a transaction
        local j = io.open(path .. "-journal", "rb")
        if j then
          if j:seek("end") > 0 then hot = hot + 1 end
          j:close()
        end
        check(path, committed)
      end
      local n = check(path, committed)
      assert.is_true(n >= #committed)
      if mode == "delete" then
        assert.is_true(hot >= 1, "no kill landed inside a transaction; the test proved little")
      end
    end)
  end
end)
