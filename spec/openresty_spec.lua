-- The OpenResty example (examples/openresty) under Debian's nginx + libnginx-mod-http-lua:
-- a copy of nginx.conf with a temporary prefix, 2 workers on 127.0.0.1, real HTTP requests
-- (LuaSocket), every route's JSON and status, 200 concurrent POSTs checked in the SQLite
-- file, a clean error log, and a stop by the pid file. nginx always loads build/jit (LuaJIT);
-- this file runs under whichever interpreter runs busted.
-- Skipped (pending) only when nginx or its Lua module is not installed.

local NGINX_CANDIDATES = { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }
local MODULES = "/usr/lib/nginx/modules"

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- Runs a shell command; returns ok, output (stdout and stderr). The commands (nginx, ps,
-- kill) must not inherit the AddressSanitizer preload of make's sanitize run: ps hangs
-- under it, and nginx would run with it.
local CLEAN_ENV = "unset LD_PRELOAD ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; "
local function sh(cmd)
  local p = assert(io.popen(CLEAN_ENV .. cmd .. " 2>&1; echo \"__rc=$?\""))
  local out = p:read("*a")
  p:close()
  local rc = tonumber(out:match("__rc=(%d+)%s*$"))
  return rc == 0, (out:gsub("__rc=%d+%s*$", ""))
end

local function find_nginx()
  for _, p in ipairs(NGINX_CANDIDATES) do if exists(p) then return p end end
  local ok, out = sh("command -v nginx")
  if ok and out:match("%S") then return (out:gsub("%s+$", "")) end
  return nil
end

local NGINX = find_nginx()
local missing
if not NGINX then
  missing = "nginx is not installed (Debian: apt-get install nginx libnginx-mod-http-lua)"
elseif not exists(MODULES .. "/ngx_http_lua_module.so") or not exists(MODULES .. "/ndk_http_module.so") then
  missing = "the nginx Lua module is not installed (Debian: apt-get install libnginx-mod-http-lua)"
end
if missing then
  describe("OpenResty example", function()
    pending("skipped: " .. missing)
  end)
  return
end

-- The project root: this file is <root>/spec/openresty_spec.lua.
local function project_root()
  local src = debug.getinfo(1, "S").source:gsub("^@", "")
  local dir = src:match("^(.*)/spec/[^/]*$") or (src:match("^spec/") and ".") or "."
  if dir:sub(1, 1) ~= "/" then
    local _, pwd = sh("pwd")
    pwd = pwd:gsub("%s+$", "")
    dir = dir == "." and pwd or (pwd .. "/" .. dir)
  end
  return dir
end
local ROOT = project_root()

-- The spec's own process reads the database through sequelua (build for this interpreter),
-- unless LUA_PATH/LUA_CPATH (as make test sets them) already find it.
if not pcall(require, "sequelua") then
  local build = (type(jit) == "table") and "jit" or "5.4"
  package.path = ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;" .. package.path
  package.cpath = ROOT .. "/build/" .. build .. "/?.so;" .. package.cpath
end
local Sequelize = require("sequelua")
local cjson = require("cjson")
local has_socket, socket = pcall(require, "socket")

local N_CONCURRENT = 200

-- cjson under Lua 5.4 decodes every number as a float: 1 -> 1.0
local function int(n) return ("%d"):format(n) end

---------------------------------------------------------------------------------------
-- A small HTTP/1.0 client (one connection per request, read to EOF).

local port

local function build_request(method, path, body)
  local lines = { method .. " " .. path .. " HTTP/1.0", "Host: 127.0.0.1:" .. port }
  if body then
    lines[#lines + 1] = "Content-Type: application/json"
    lines[#lines + 1] = "Content-Length: " .. #body
  end
  return table.concat(lines, "\r\n") .. "\r\n\r\n" .. (body or "")
end

local function connect()
  local c = assert(socket.tcp())
  c:settimeout(60)
  local ok, err = c:connect("127.0.0.1", port)
  if not ok then c:close() return nil, err end
  return c
end

local function parse_response(raw)
  local head, body = raw:match("^(.-)\r\n\r\n(.*)$")
  assert(head, "malformed HTTP response: " .. raw:sub(1, 200))
  local status = tonumber(head:match("^HTTP/1%.%d (%d%d%d)"))
  local headers = {}
  for k, v in head:gmatch("\r\n([^:\r\n]+):%s*([^\r\n]*)") do headers[k:lower()] = v end
  local json
  if (headers["content-type"] or ""):match("^application/json") then
    local ok, v = pcall(cjson.decode, body)
    json = ok and v or nil
  end
  return { status = status, headers = headers, body = body, json = json }
end

local function receive_all(c)
  local data, err, partial = c:receive("*a")
  c:close()
  return data or partial, err
end

local function http(method, path, body, raw_request)
  local c = assert(connect())
  assert(c:send(raw_request or build_request(method, path, body)))
  local raw, err = receive_all(c)
  assert(raw and #raw > 0, "no response to " .. tostring(method) .. " " .. tostring(path) .. ": " .. tostring(err))
  return parse_response(raw)
end

local function sleep(s) socket.sleep(s) end

---------------------------------------------------------------------------------------
-- nginx lifecycle

local prefix, conf_path, db_path, pid_path

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function free_port()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, p = s:getsockname()
  s:close()
  return tonumber(p)
end

local template_text -- (nil: the example's nginx.conf)

local function write_conf()
  local template = template_text or
    assert(read_file(ROOT .. "/examples/openresty/nginx.conf"), "examples/openresty/nginx.conf missing")
  local _, uid = sh("id -u")
  local _, uname = sh("id -un")
  local vars = {
    -- started as root the workers would run as nobody, which cannot write the temp prefix
    USER = (uid:match("^%s*0%s*$") and "root") or uname:gsub("%s+$", ""),
    PORT = tostring(port),
    DB_PATH = db_path,
    APP_DIR = ROOT .. "/examples/openresty",
    SEQUELUA_LUA = ROOT .. "/lua",
    SEQUELUA_CPATH = ROOT .. "/build/jit",
  }
  local conf = template:gsub("@([A-Z_]+)@", function(name)
    return assert(vars[name], "unknown template variable @" .. name .. "@")
  end)
  local f = assert(io.open(conf_path, "wb"))
  f:write(conf)
  f:close()
end

local function master_pid()
  local s = read_file(pid_path)
  return s and tonumber(s:match("%d+"))
end

local function alive(pid) return (sh("kill -0 " .. pid)) end

local function error_log() return read_file(prefix .. "/logs/error.log") or "" end

local function start_nginx()
  local out
  for _ = 1, 5 do
    port = free_port()
    write_conf()
    local ok
    ok, out = sh(q(NGINX) .. " -p " .. q(prefix .. "/") .. " -c " .. q(conf_path) ..
                 " -e logs/error.log -g 'daemon on; master_process on;'")
    if ok then
      -- wait until it answers
      for _ = 1, 200 do
        local c = connect()
        if c then
          c:send(build_request("GET", "/posts"))
          local raw = receive_all(c)
          if raw and raw:match("^HTTP/1%.%d 200") then return end
        end
        sleep(0.05)
      end
      error("nginx started but does not answer on port " .. port .. "\n" .. error_log())
    end
    if not out:match("Address already in use") then break end
  end
  error("nginx did not start:\n" .. tostring(out) .. "\n" .. error_log())
end

local function stop_nginx()
  local pid = master_pid()
  if not pid then return end
  sh("kill -QUIT " .. pid)                 -- graceful: workers finish, exit_worker closes the db
  for _ = 1, 200 do
    if not alive(pid) then return true end
    sleep(0.05)
  end
  sh("kill -KILL " .. pid)
  return false
end

---------------------------------------------------------------------------------------

local function no_traceback(res)
  assert.is_nil(res.body:find("traceback", 1, true), "traceback leaked: " .. res.body)
  assert.is_nil(res.body:find("%.lua:%d"), "Lua source position leaked: " .. res.body)
end

local function expect(res, status)
  assert.are.equal(status, res.status, "status " .. tostring(res.status) .. ", body: " .. res.body)
  assert.are.equal("application/json", res.headers["content-type"])
  assert.is_table(res.json, "body is not JSON: " .. res.body)
  no_traceback(res)
  return res.json
end

-- The text of each *_by_lua_block { ... } in the config (Lua; braces balanced, outside
-- Lua strings and comments, which is all this config needs).
local function lua_blocks(conf)
  local blocks = {}
  local pos = 1
  while true do
    local name, open = conf:match("([%w_]+_by_lua_block)%s*(){", pos)
    if not name then break end
    local depth, i = 1, open + 1
    while depth > 0 and i <= #conf do
      local c = conf:sub(i, i)
      if c == "{" then depth = depth + 1 elseif c == "}" then depth = depth - 1 end
      i = i + 1
    end
    local line = select(2, conf:sub(1, open):gsub("\n", "")) + 1
    blocks[#blocks + 1] = { name = name, line = line, code = conf:sub(open + 1, i - 2) }
    pos = i
  end
  return blocks
end

describe("OpenResty example: nginx.conf", function()
  it("every *_by_lua_block is valid Lua (nginx -t does not check it; a # comment would fail)", function()
    local conf = assert(read_file(ROOT .. "/examples/openresty/nginx.conf"))
    local blocks = lua_blocks(conf)
    assert.is_true(#blocks >= 7, "found " .. #blocks .. " Lua blocks")
    for _, b in ipairs(blocks) do
      local fn, err = (loadstring or load)(b.code, "=" .. b.name .. " at nginx.conf:" .. b.line)
      assert.is_function(fn, err)
    end
  end)
end)

describe("OpenResty example (nginx + LuaJIT, 2 workers)", function()
  if not has_socket then
    it("needs LuaSocket for its HTTP client", function()
      error("LuaSocket is missing: apt-get install lua-socket (" .. tostring(socket) .. ")")
    end)
    return
  end

  local stopped_cleanly
  local ann_id

  lazy_setup(function()
    assert(exists(ROOT .. "/build/jit/sequelua/core.so"), "build/jit/sequelua/core.so missing: run make build")
    local tmp = os.tmpname()
    os.remove(tmp)
    prefix = tmp .. ".nginx"
    assert(sh("mkdir -p " .. q(prefix .. "/logs")))
    conf_path = prefix .. "/nginx.conf"
    db_path = prefix .. "/app.db"
    pid_path = prefix .. "/logs/nginx.pid"
    start_nginx()
  end)

  lazy_teardown(function()
    if prefix then
      if master_pid() and alive(master_pid()) then stop_nginx() end
      sh("rm -rf " .. q(prefix))
    end
  end)

  it("runs a master and 2 workers", function()
    local pid = assert(master_pid(), "no pid file")
    assert.is_true(alive(pid))
    -- the master's children, from /proc (procps may not be installed)
    local _, out = sh("ls /proc")
    local n = 0
    for child in out:gmatch("%d+") do
      local stat = read_file("/proc/" .. child .. "/stat")
      if stat and tonumber(stat:match("%) %S+ (%d+)")) == pid then n = n + 1 end
    end
    assert.are.equal(2, n, "worker processes")
  end)

  it("GET /posts on an empty database", function()
    local j = expect(http("GET", "/posts"), 200)
    assert.are.same({ count = 0, limit = 20, offset = 0, rows = {} }, j)
  end)

  it("POST /users creates the user with its profile and posts (201)", function()
    local res = http("POST", "/users", cjson.encode({
      username = "ann", email = "ann@example.com",
      Profile = { bio = "Writes about SQLite" },
      Posts = { { title = "First", body = "Hello" }, { title = "Second", body = cjson.null } },
    }))
    local j = expect(res, 201)
    assert.is_number(j.id)
    ann_id = j.id
    assert.are.equal("/users/" .. int(j.id), res.headers["location"])
    assert.are.equal("ann", j.username)
    assert.are.equal("ann@example.com", j.email)
    assert.are.equal("Writes about SQLite", j.Profile.bio)
    assert.are.equal(j.id, j.Profile.UserId)
    assert.are.equal(2, #j.Posts)
    assert.are.equal(cjson.null, j.Posts[2].body)
    assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$", j.createdAt)
  end)

  it("POST /users: JSON nulls go straight into the create", function()
    local j = expect(http("POST", "/users", '{"username":"nully","email":null,"Profile":{"bio":null}}'), 201)
    assert.are.equal(cjson.null, j.email)
    assert.are.equal(cjson.null, j.Profile.bio)
    assert.are.equal(j.id, j.Profile.UserId)
  end)

  it("GET /users/:id includes the Profile and the Posts", function()
    local j = expect(http("GET", "/users/" .. int(ann_id)), 200)
    assert.are.equal(ann_id, j.id)
    assert.are.equal("ann", j.username)
    assert.are.equal("Writes about SQLite", j.Profile.bio)
    assert.are.equal(2, #j.Posts)
    assert.are.equal("First", j.Posts[1].title)
    assert.are.equal("Second", j.Posts[2].title)
    assert.are.equal(ann_id, j.Posts[1].UserId)
    -- and in the file
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path }
    local rows = db:query("SELECT title FROM Posts WHERE UserId = ? ORDER BY id", { replacements = { ann_id } })
    db:close()
    assert.are.equal("First", rows[1].title)
  end)

  it("GET /users/:id: 404 JSON for a missing user and a non-numeric id", function()
    local j = expect(http("GET", "/users/999999"), 404)
    assert.are.equal("Not Found", j.error)
    assert.are.equal("User 999999 not found", j.message)
    j = expect(http("GET", "/users/abc"), 404)
    assert.are.equal("Not Found", j.error)
    expect(http("GET", "/users/99999999999999999999999"), 404)
    expect(http("GET", "/nowhere"), 404)
  end)

  it("POST /users: 409 for a username taken, with the error item", function()
    local j = expect(http("POST", "/users", '{"username":"ann","email":"other@example.com"}'), 409)
    assert.are.equal("SequelizeUniqueConstraintError", j.error)
    assert.are.equal("Validation error", j.message)
    assert.are.same({ { message = "username must be unique", type = "unique violation", path = "username",
                        value = "ann", validatorKey = "not_unique" } }, j.errors)
  end)

  it("POST /users: 400 for validation errors, with the error items", function()
    local j = expect(http("POST", "/users", '{"username":"bob","email":"not-an-email"}'), 400)
    assert.are.equal("SequelizeValidationError", j.error)
    assert.are.equal("Validation error: Validation isEmail on email failed", j.message)
    assert.are.same({ { message = "Validation isEmail on email failed", type = "Validation error", path = "email",
                        value = "not-an-email", validatorKey = "isEmail" } }, j.errors)

    j = expect(http("POST", "/users", '{"email":"bob@example.com"}'), 400)
    assert.are.equal("notNull Violation: User.username cannot be null", j.message)
    assert.are.equal("username", j.errors[1].path)
    assert.are.equal("is_null", j.errors[1].validatorKey)

    j = expect(http("POST", "/users", '{"username":"bob","Posts":[{"title":null}]}'), 400)
    assert.are.equal("notNull Violation: Post.title cannot be null", j.message)

    j = expect(http("POST", "/users", '{"username":{"a":1}}'), 400)
    assert.are.equal("username", j.errors[1].path)
  end)

  it("POST /users: 400 for a body that is not a JSON object of the right shape", function()
    local j = expect(http("POST", "/users", "{not json"), 400)
    assert.are.equal("Bad Request", j.error)
    assert.matches("^invalid JSON", j.message)
    expect(http("POST", "/users", "[1, 2]"), 400)
    expect(http("POST", "/users", ""), 400)
    j = expect(http("POST", "/users", '{"username":true,"Profile":"x","Posts":[1]}'), 400)
    local paths = {}
    for i, e in ipairs(j.errors) do paths[i] = e.path end
    assert.are.same({ "username", "Profile", "Posts.0" }, paths)
    -- nothing was written by the failed requests
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path }
    local rows = db:query("SELECT COUNT(*) AS n FROM Users WHERE username = 'bob'")
    db:close()
    assert.are.equal(0, rows[1].n)
  end)

  it("405 JSON for a method a route does not take", function()
    local res = http("DELETE", "/users")
    local j = expect(res, 405)
    assert.are.equal("POST", res.headers["allow"])
    assert.are.equal("Method Not Allowed", j.error)
    expect(http("POST", "/posts", "{}"), 405)
  end)

  it("nginx's own errors are JSON too (error_page)", function()
    local j = expect(http(nil, nil, nil, "GET /posts HTTP/1.1\r\n\r\n"), 400)   -- no Host
    assert.are.equal("Bad Request", j.error)
    j = expect(http("GET", "/posts?x=" .. ("a"):rep(9000)), 414)
    assert.are.equal("URI Too Long", j.error)
    j = expect(http("GET", "/_error"), 404)                           -- internal only
    assert.are.equal("Not Found", j.error)
  end)

  it("GET /posts?limit=&offset= pages and validates its integers", function()
    local j = expect(http("GET", "/posts?limit=1&offset=1"), 200)
    assert.are.equal(2, j.count)
    assert.are.equal(1, j.limit)
    assert.are.equal(1, j.offset)
    assert.are.equal(1, #j.rows)
    assert.are.equal("Second", j.rows[1].title)

    j = expect(http("GET", "/posts?limit=abc&offset=-1"), 400)
    assert.are.equal("invalid query parameters", j.message)
    assert.are.equal("limit", j.errors[1].path)
    assert.are.equal("abc", j.errors[1].value)
    assert.are.equal("offset", j.errors[2].path)
    for _, bad in ipairs{ "limit=0", "limit=101", "limit=", "limit", "limit=1.5", "limit=1&limit=2",
                          "offset=1e3", "offset=99999999999999999999", "limit=%201" } do
      j = expect(http("GET", "/posts?" .. bad), 400)
      assert.are.equal("Bad Request", j.error, bad)
    end
  end)

  -- One burst of N_CONCURRENT POSTs (users "load-<b>-<i>"), each checked to have landed
  -- exactly once, through the API and in the file. Returns the workers that served it.
  local function burst(b)
    local log_before = #(read_file(prefix .. "/logs/access.log") or "")
    local function name(i) return "load-" .. b .. "-" .. i end

    -- connect and send each request, reading none until all are sent: all are in flight
    -- together, and a worker busy in SQLite leaves the next connections to the other one
    local conns = {}
    for i = 1, N_CONCURRENT do
      local body = cjson.encode({ username = name(i), email = "load" .. i .. "@example.com",
                                  Profile = { bio = "bio-" .. i }, Posts = { { title = "post-" .. i } } })
      conns[i] = assert(connect())
      assert(conns[i]:send(build_request("POST", "/users", body)))
    end
    local ids, seen = {}, {}
    for i = 1, N_CONCURRENT do
      local raw = receive_all(conns[i])
      local j = expect(parse_response(raw), 201)
      assert.are.equal(name(i), j.username)
      assert.are.equal("bio-" .. i, j.Profile.bio)
      assert.is_nil(seen[j.id], "id " .. tostring(j.id) .. " returned twice")
      seen[j.id] = true
      ids[i] = j.id
    end

    -- through the API
    for i = 1, N_CONCURRENT do
      local j = expect(http("GET", "/users/" .. int(ids[i])), 200)
      assert.are.equal(name(i), j.username)
      assert.are.equal("bio-" .. i, j.Profile.bio)
      assert.are.equal(1, #j.Posts)
      assert.are.equal("post-" .. i, j.Posts[1].title)
    end

    -- in the file itself
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path }
    assert.are.equal("wal", db:query("PRAGMA journal_mode")[1].journal_mode)
    local rows = db:query([[
      SELECT u.id, u.username, COUNT(DISTINCT p.id) AS profiles, COUNT(DISTINCT s.id) AS posts,
             MIN(p.bio) AS bio, MIN(s.title) AS title
      FROM Users u LEFT JOIN Profiles p ON p.UserId = u.id LEFT JOIN Posts s ON s.UserId = u.id
      WHERE u.username LIKE ? GROUP BY u.id ORDER BY u.id]], { replacements = { "load-" .. b .. "-%" } })
    db:close()
    assert.are.equal(N_CONCURRENT, #rows)
    local by_name = {}
    for _, r in ipairs(rows) do
      assert.is_nil(by_name[r.username], r.username .. " stored twice")
      by_name[r.username] = r
      local i = assert(tonumber(r.username:match("^load%-%d+%-(%d+)$")))
      assert.are.equal(ids[i], r.id)
      assert.are.equal(1, r.profiles)
      assert.are.equal(1, r.posts)
      assert.are.equal("bio-" .. i, r.bio)
      assert.are.equal("post-" .. i, r.title)
    end

    -- which workers served it (access log: worker=<pid>)
    local workers = {}
    local log = (read_file(prefix .. "/logs/access.log") or ""):sub(log_before + 1)
    for line in log:gmatch("[^\n]+") do
      local pid = line:match('"POST /users HTTP/1%.0" 201 .- worker=(%d+)')
      if pid then workers[pid] = true end
    end
    return workers
  end

  local expected_users = 2            -- ann and nully so far

  it("a writer waits for a lock held elsewhere (busy timeout) instead of failing", function()
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path }
    db:query("BEGIN IMMEDIATE")                     -- this process holds the write lock
    local c = assert(connect())
    local t0 = socket.gettime()
    assert(c:send(build_request("POST", "/users", '{"username":"waiter"}')))
    sleep(1)
    db:query("ROLLBACK")
    db:close()
    local j = expect(parse_response(receive_all(c)), 201)
    assert.are.equal("waiter", j.username)
    assert.is_true(socket.gettime() - t0 >= 0.9)
    expected_users = expected_users + 1
  end)

  it(N_CONCURRENT .. " concurrent POSTs each land exactly once, written by both workers", function()
    -- Which worker accepts a connection is the kernel's and nginx's choice: if one worker
    -- happened to take a whole burst, fire another (each is checked in full).
    local served = {}
    local n, bursts = 0, 0
    for b = 1, 4 do
      bursts = b
      for pid in pairs(burst(b)) do
        if not served[pid] then served[pid] = true; n = n + 1 end
      end
      expected_users = expected_users + N_CONCURRENT
      if n >= 2 then break end
    end
    assert.are.equal(2, n, "every burst was served by a single worker")

    local j = expect(http("GET", "/posts?limit=100&offset=0"), 200)
    assert.are.equal(2 + N_CONCURRENT * bursts, j.count)   -- ann's 2 posts and one per load user
    assert.are.equal(100, #j.rows)
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path }
    local total = db:query("SELECT COUNT(*) AS n FROM Users")[1].n
    db:close()
    assert.are.equal(expected_users, total)
  end)

  it("stops on SIGQUIT by its pid file, with no [error] in the error log", function()
    local pid = assert(master_pid())
    stopped_cleanly = stop_nginx()
    assert.is_true(stopped_cleanly, "nginx did not stop on SIGQUIT")
    assert.is_false(alive(pid))
    local log = error_log()
    local bad = {}
    for line in log:gmatch("[^\n]+") do
      if line:match("%[error%]") or line:match("%[crit%]") or line:match("%[alert%]") or line:match("%[emerg%]") then
        bad[#bad + 1] = line
      end
    end
    assert.are.equal(0, #bad, "error log:\n" .. table.concat(bad, "\n"))
    assert.matches("exit", log)
    -- the file after the workers closed their connections
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path }
    local check = db:query("PRAGMA integrity_check")[1].integrity_check
    local users = db:query("SELECT COUNT(*) AS n FROM Users")[1].n
    db:close()
    assert.are.equal("ok", check)
    assert.are.equal(expected_users, users)
  end)
end)

-- Transactions on a worker's one connection. nginx's Lua module runs request after request
-- on one reused coroutine, so a request is told from the next by its ngx.ctx. One worker,
-- so that every request meets the same connection.
local TX_CONF = [[
load_module /usr/lib/nginx/modules/ndk_http_module.so;
load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;
user @USER@;
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log notice;
env SEQUELUA_DB=@DB_PATH@;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;
    lua_package_path "@SEQUELUA_LUA@/?.lua;@SEQUELUA_LUA@/?/init.lua;;";
    lua_package_cpath "@SEQUELUA_CPATH@/?.so;;";
    init_worker_by_lua_block {
        local Sequelize = require("sequelua")
        DB = Sequelize.new{ dialect = "sqlite", storage = os.getenv("SEQUELUA_DB"), busyTimeout = 2000 }
        Note = DB:define("Note", { text = Sequelize.DataTypes.STRING })
        Note:sync()
        -- (a second connection, to a file of its own, with a short busy timeout)
        DB2 = Sequelize.new{ dialect = "sqlite", storage = os.getenv("SEQUELUA_DB") .. "2", busyTimeout = 300 }
        Note2 = DB2:define("Note", { text = Sequelize.DataTypes.STRING })
        Note2:sync()
    }
    server {
        listen 127.0.0.1:@PORT@;
        location = /posts { content_by_lua_block { ngx.say(Note:count()) } }
        location = /leak { content_by_lua_block {
            local t = DB:transaction()
            Note:create({ text = "leak" }, { transaction = t })
            error("boom with a transaction open")
        } }
        location = /exit { content_by_lua_block {
            DB:transaction(function(t)
                Note:create({ text = "exited" }, { transaction = t })
                ngx.say("exiting")
                return ngx.exit(ngx.HTTP_OK)
            end)
        } }
        location = /coro { content_by_lua_block {
            DB:transaction(function(t)
                Note:create({ text = "in-coro-tx" }, { transaction = t })
                local co = coroutine.create(function() return Note:count() end)
                local ok1, e1 = coroutine.resume(co)
                local co2 = coroutine.create(function() return Note:count({ transaction = t }) end)
                local ok2, n2 = coroutine.resume(co2)
                ngx.say(tostring(ok1), " ", ok1 and "" or tostring(e1.message):sub(1, 60), "|", tostring(ok2), " ", tostring(n2))
            end)
        } }
        location = /forget { content_by_lua_block {
            local t = DB:transaction()
            Note:create({ text = "forgotten" }, { transaction = t })
            ngx.say("ok")
        } }
        location = /create { content_by_lua_block {
            local ok, e = pcall(Note.create, Note, { text = ngx.var.arg_text })
            if ok then ngx.say(e.id) else ngx.status = 500 ngx.say(e.message) end
        } }
        location = /create2 { content_by_lua_block {
            local t0 = ngx.now()
            local ok, e = pcall(Note2.create, Note2, { text = ngx.var.arg_text })
            ngx.update_time()
            local waited = math.floor((ngx.now() - t0) * 1000)
            if ok then ngx.say(e.id, " ", waited) else ngx.status = 500 ngx.say(e.name, " ", waited, " ", e.message) end
        } }
        location = /sleep2 { content_by_lua_block {
            DB2:transaction(function(t)
                Note2:create({ text = "held" }, { transaction = t })
                ngx.sleep(1)
            end)
            ngx.say("ok")
        } }
        location = /sp_after_commit { content_by_lua_block {
            -- a savepoint committed inside a transaction the handler then leaves (raises, or
            -- forgets): its afterCommit hook must not run, neither now nor at a later request's commit
            SEEN = SEEN or {}
            local t = DB:transaction()
            DB:transaction({ transaction = t }, function(sp)
                sp:afterCommit(function() SEEN[#SEEN + 1] = "lost-" .. ngx.var.arg_n end)
                Note:create({ text = "sp-" .. ngx.var.arg_n }, { transaction = sp })
            end)
            if ngx.var.arg_raise then error("raised with the transaction open") end
            ngx.say("forgot")
        } }
        location = /sp_after_commit_ok { content_by_lua_block {
            SEEN = SEEN or {}
            DB:transaction(function(t)
                t:afterCommit(function() SEEN[#SEEN + 1] = "outer" end)
                pcall(DB.transaction, DB, { transaction = t }, function(sp)
                    sp:afterCommit(function() SEEN[#SEEN + 1] = "rolled-back" end)
                    Note:create({ text = "sp-rb" }, { transaction = sp })
                    error("inner")
                end)
                DB:transaction({ transaction = t }, function(sp)
                    sp:afterCommit(function() SEEN[#SEEN + 1] = "inner:" .. tostring(DB:query("SELECT count(*) AS n FROM Notes WHERE text = 'sp-ok'", { plain = true }).n) end)
                    Note:create({ text = "sp-ok" }, { transaction = sp })
                end)
            end)
            ngx.say(table.concat(SEEN, ","))
            SEEN = {}
        } }
        location = /count_in_set { set_by_lua_block $r {
            local ok, e = pcall(Note.count, Note)
            return ok and tostring(e) or e.message
        } content_by_lua_block { ngx.say(ngx.var.r) } }
        location = /sleep { content_by_lua_block {
            DB:transaction(function(t)
                Note:create({ text = "slept" }, { transaction = t })
                ngx.sleep(0.5)
                Note:create({ text = "slept2" })
            end)
            ngx.say("ok")
        } }
    }
}
]]

describe("OpenResty: transactions on a worker's connection", function()
  if not has_socket then return end

  local function texts()
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path, busyTimeout = 200 }
    local out = {}
    for i, r in ipairs(db:query("SELECT text FROM Notes ORDER BY id")) do out[i] = r.text end
    db:close()
    return out
  end

  lazy_setup(function()
    local tmp = os.tmpname()
    os.remove(tmp)
    prefix = tmp .. ".nginx-tx"
    assert(sh("mkdir -p " .. q(prefix .. "/logs")))
    conf_path, db_path, pid_path = prefix .. "/nginx.conf", prefix .. "/tx.db", prefix .. "/logs/nginx.pid"
    template_text = TX_CONF
    start_nginx()
  end)

  lazy_teardown(function()
    template_text = nil
    if prefix then
      if master_pid() and alive(master_pid()) then stop_nginx() end
      sh("rm -rf " .. q(prefix))
    end
  end)

  it("a transaction a request left open is rolled back when it ends; later writes are not inside it", function()
    for _ = 1, 3 do assert.are.equal(500, http("GET", "/leak").status) end
    assert.are.equal(200, http("GET", "/forget").status)
    sleep(0.3) -- (the watch timer)
    -- the write lock is free without any further request to the worker
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path, busyTimeout = 500 }
    db:query("INSERT INTO Notes (text, createdAt, updatedAt) VALUES ('direct', '2026-01-01', '2026-01-01')")
    db:close()
    for i = 1, 5 do
      local res = http("GET", "/create?text=a" .. i)
      assert.are.equal(200, res.status, res.body)
    end
    assert.are.same({ "direct", "a1", "a2", "a3", "a4", "a5" }, texts())
  end)

  it("a managed transaction whose handler ends the request inside it (ngx.exit) is rolled back when it ends", function()
    assert.are.equal(200, http("GET", "/exit").status)
    sleep(0.3) -- (the watch timer)
    -- the write lock is free without any further request to the worker
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path, busyTimeout = 500 }
    db:query("INSERT INTO Notes (text, createdAt, updatedAt) VALUES ('direct2', '2026-01-01', '2026-01-01')")
    local n = db:query("SELECT count(*) AS n FROM Notes WHERE text = 'exited'", { plain = true }).n
    db:close()
    assert.are.equal(0, n)
    local res = http("GET", "/create?text=b1")
    assert.are.equal(200, res.status, res.body)
    local t = texts()
    assert.are.same({ "direct2", "b1" }, { t[#t - 1], t[#t] })
  end)

  it("a savepoint's afterCommit runs once after its request's COMMIT, never for a transaction a request left open", function()
    assert.are.equal(500, http("GET", "/sp_after_commit?n=1&raise=1").status)
    assert.are.equal(200, http("GET", "/sp_after_commit?n=2").status)
    -- (the next request may come before the watch timer: the leftovers are rolled back first)
    local res = http("GET", "/sp_after_commit_ok")
    assert.are.equal(200, res.status, res.body)
    -- the inner hook ran after the COMMIT: a query in it sees the committed row, outside any transaction
    assert.are.equal("outer,inner:1\n", res.body)
    local kept = {}
    for _, x in ipairs(texts()) do if x:match("^sp%-") then kept[#kept + 1] = x end end
    assert.are.same({ "sp-ok" }, kept)
  end)

  it("a coroutine the handler resumes inside its transaction joins it only when passed the transaction", function()
    local res = http("GET", "/coro")
    assert.are.equal(200, res.status, res.body)
    local first, second = res.body:match("^(.-)|(.-)\n$")
    assert.are.equal("false This connection is in a transaction begun by another corouti", first, res.body)
    local n = tonumber(second:match("^true (%d+)$"))
    assert.truthy(n, res.body)
    assert.are.equal(#texts(), n) -- (it counted the row the transaction wrote, since committed)
  end)

  it("a request meeting another's suspended transaction waits for it to end, and is not joined into it", function()
    local c = assert(connect())
    assert(c:send(build_request("GET", "/sleep")))
    sleep(0.15)
    -- (the write waits for the transaction's commit, about 0.35 s on, then runs on its own)
    local res = http("GET", "/create?text=during")
    assert.are.equal(200, res.status, res.body)
    local done = parse_response(receive_all(c))
    assert.are.equal(200, done.status, done.body)
    assert.are.equal(200, http("GET", "/create?text=after").status)
    local t = texts()
    assert.are.same({ "slept", "slept2", "during", "after" }, { t[#t - 3], t[#t - 2], t[#t - 1], t[#t] })
  end)

  it("requests waiting for a suspended transaction run in the order they came, when it ends", function()
    -- (Sequelize's pool serves the queries waiting for a connection first come first served;
    -- the waiters queue on an ngx.semaphore that the commit wakes. When they polled, each
    -- retried on its own clock, and the order they ran in was the order of those clocks.)
    local c = assert(connect())
    assert(c:send(build_request("GET", "/sleep")))
    sleep(0.1)
    local waiting = {}
    for i = 1, 6 do
      waiting[i] = assert(connect())
      assert(waiting[i]:send(build_request("GET", "/create?text=w" .. i)))
      sleep(0.04)
    end
    local done = parse_response(receive_all(c))
    assert.are.equal(200, done.status, done.body)
    for i = 1, 6 do
      local res = parse_response(receive_all(waiting[i]))
      assert.are.equal(200, res.status, res.body)
    end
    local t = texts()
    assert.are.same({ "slept", "slept2", "w1", "w2", "w3", "w4", "w5", "w6" },
                    { (table.unpack or unpack)(t, #t - 7) })
  end)

  it("the wait ends at the busy timeout with a TimeoutError; the transaction then commits alone", function()
    local c = assert(connect())
    assert(c:send(build_request("GET", "/sleep2")))
    sleep(0.15)
    local res = http("GET", "/create2?text=late")
    assert.are.equal(500, res.status)
    local name, waited = res.body:match("^(%S+) (%d+) ")
    assert.are.equal("SequelizeTimeoutError", name, res.body)
    assert.is_true(tonumber(waited) >= 290 and tonumber(waited) < 900, res.body)
    assert.truthy(res.body:find("Timed out after 300 ms", 1, true), res.body)
    local done = parse_response(receive_all(c))
    assert.are.equal(200, done.status, done.body)
    local db = Sequelize.new{ dialect = "sqlite", storage = db_path .. "2", busyTimeout = 200 }
    local rows = db:query("SELECT text FROM Notes ORDER BY id")
    db:close()
    assert.are.same({ { text = "held" } }, rows)
  end)

  it("a phase that cannot yield is refused at once instead of waiting", function()
    local c = assert(connect())
    assert(c:send(build_request("GET", "/sleep")))
    sleep(0.15)
    local res = http("GET", "/count_in_set")
    assert.are.equal(200, res.status)
    assert.truthy(res.body:find("begun by another coroutine, which is suspended", 1, true), res.body)
    local done = parse_response(receive_all(c))
    assert.are.equal(200, done.status, done.body)
  end)
end)
