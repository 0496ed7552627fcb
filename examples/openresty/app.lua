-- examples/openresty/app.lua: a small JSON API on a SQLite file, served by nginx's Lua
-- module (OpenResty's LuaJIT). nginx.conf loads this module in init_by_lua (code only),
-- opens one connection per worker in init_worker_by_lua (M.init_worker) and calls one
-- handler per route from content_by_lua.
--
--   GET  /users/:id              the user with its Profile and Posts; 404 when missing
--   GET  /posts?limit=&offset=   { count, limit, offset, rows }; 400 on bad numbers
--   POST /users                  JSON body -> user (+ Profile, + Posts) in one transaction
--
-- Errors are JSON bodies: 400 validation (with the error items), 404 missing, 405 method,
-- 409 unique violation, 503 database still locked after the busy timeout, 500 anything
-- else (logged with its traceback, never sent).
--
-- Every sequelua call blocks this worker while SQLite runs it: keep queries short and
-- indexed; the other workers keep serving meanwhile.
local Sequelize = require("sequelua")
local cjson = require("cjson.safe")

local DataTypes, errors = Sequelize.DataTypes, Sequelize.errors
local NULL = Sequelize.null              -- == cjson.null == ngx.null

local M = {}

-- Per-worker state, set by M.init_worker (each worker is its own process: its own copy).
local db, User, Profile, Post
local MAX_LIMIT, DEFAULT_LIMIT = 100, 20

local function define(sequelize)
  local U = sequelize:define("User", {
    username = { type = DataTypes.STRING(64), allowNull = false, unique = true,
                 validate = { notEmpty = true, len = { 1, 64 } } },
    email    = { type = DataTypes.STRING, validate = { isEmail = true } },
  })
  local Pr = sequelize:define("Profile", { bio = DataTypes.TEXT })
  local Po = sequelize:define("Post", {
    title = { type = DataTypes.STRING, allowNull = false, validate = { notEmpty = true } },
    body  = DataTypes.TEXT,
  })
  U:hasOne(Pr)     -- Profiles.UserId; reads as user.Profile
  U:hasMany(Po)    -- Posts.UserId;    reads as user.Posts
  return U, Pr, Po
end

-- The lock stayed taken longer than the busy timeout (Sequelize: TimeoutError).
local function is_busy(e)
  return type(e) == "table" and type(e.is) == "function"
     and (e:is(errors.TimeoutError) or (e.parent ~= nil and e.parent.code == "SQLITE_BUSY"))
end

-- A blocking pause, for init_worker only (ngx.sleep is not available there, and a
-- request handler must never block like this).
local function pause(ms)
  local ffi = require("ffi")
  if not pcall(function() return ffi.C.poll end) then
    ffi.cdef("int poll(struct pollfd *fds, unsigned long nfds, int timeout);")
  end
  ffi.C.poll(nil, 0, ms)
end

-- Switching a file to WAL reads its header, then writes it. When two workers do that at
-- the same moment (a new file), SQLite answers one of them SQLITE_BUSY at once, without
-- the busy wait (both hold a read lock and want to write: waiting could deadlock).
-- Retry that case; once the file is in WAL mode the pragma only reads.
local function use_wal(sequelize)
  for attempt = 1, 50 do
    local ok, rows = pcall(sequelize.query, sequelize, "PRAGMA journal_mode=WAL")
    if ok then return rows[1] and rows[1].journal_mode end
    if not is_busy(rows) or attempt == 50 then error(rows, 0) end
    pause(5 * attempt + ngx.worker.pid() % 10)   -- workers wait different times
  end
end

-- init_worker_by_lua: one connection for this worker's lifetime. WAL lets readers run
-- while another worker writes; the busy timeout (the core's default is 5000 ms, set here
-- explicitly) makes a writer wait up to 5 s for the lock instead of failing with
-- SQLITE_BUSY. sync is CREATE TABLE IF NOT EXISTS, so every worker may run it at start.
function M.init_worker(path)
  local ok, err = xpcall(function()
    assert(path and path ~= "", "SEQUELUA_DB is not set (env SEQUELUA_DB=...; in nginx.conf)")
    local sequelize = Sequelize.new{ dialect = "sqlite", storage = path }
    sequelize:query("PRAGMA busy_timeout=5000")
    if use_wal(sequelize) ~= "wal" then
      ngx.log(ngx.WARN, "sequelua: ", path, " is not in WAL mode")
    end
    User, Profile, Post = define(sequelize)
    sequelize:sync()
    db = sequelize
  end, function(e) return debug.traceback(tostring(e), 2) end)
  if not ok then
    db = nil
    ngx.log(ngx.ERR, "sequelua: cannot open the database: ", err)
  end
end

-- exit_worker_by_lua: close this worker's connection (WAL checkpoint on the last close).
function M.exit_worker()
  if db then pcall(db.close, db); db = nil end
end

---------------------------------------------------------------------------------------
-- Responses

local function send(status, body, headers)
  local text = Sequelize.stringify(body) .. "\n"
  ngx.status = status
  ngx.header["Content-Type"] = "application/json"
  ngx.header["Content-Length"] = #text
  for k, v in pairs(headers or {}) do ngx.header[k] = v end
  ngx.print(text)
end

local REASONS = { [400] = "Bad Request", [404] = "Not Found", [405] = "Method Not Allowed",
                  [409] = "Conflict", [413] = "Payload Too Large", [414] = "URI Too Long",
                  [500] = "Internal Server Error", [503] = "Service Unavailable" }

local function fail(status, message, items)
  local body = { error = REASONS[status] or "Error", message = message }
  if items then body.errors = setmetatable(items, Sequelize.array_mt) end
  return send(status, body)
end

-- A thrown error -> a response. A table error from sequelua carries name/message/errors;
-- anything else (a bug) is logged with its traceback and answered with a bare 500.
local function respond_error(e, trace)
  if is_busy(e) then
    ngx.log(ngx.WARN, "database busy: ", tostring(e))
    ngx.header["Retry-After"] = "1"
    return fail(503, "database busy, retry")
  end
  if type(e) == "table" and type(e.is) == "function" then
    if e:is(errors.UniqueConstraintError) or e:is(errors.ValidationError) then
      local items = {}
      for i, it in ipairs(e.errors or {}) do
        items[i] = { message = it.message, type = it.type, path = it.path,
                     value = it.value == nil and NULL or it.value, validatorKey = it.validatorKey }
      end
      local status = e:is(errors.UniqueConstraintError) and 409 or 400
      local body = { error = e.name, message = e.message, errors = setmetatable(items, Sequelize.array_mt) }
      return send(status, body)
    end
  end
  ngx.log(ngx.ERR, "unhandled error: ", trace or tostring(e))
  return fail(500, "internal error")
end

-- Runs a handler; nothing it raises escapes as nginx's HTML 500 or as a traceback.
local function run(handler, ...)
  if not db then return fail(503, "database unavailable") end
  local trace
  local ok, e = xpcall(handler, function(err)
    trace = debug.traceback(tostring(err), 2)
    return err
  end, ...)
  if not ok then return respond_error(e, trace) end
end

local function allow(...)
  local m = ngx.req.get_method()
  for i = 1, select("#", ...) do if m == select(i, ...) then return true end end
  ngx.header["Allow"] = table.concat({ ... }, ", ")
  fail(405, "method " .. m .. " not allowed")
  return false
end

---------------------------------------------------------------------------------------
-- Input checks at the boundary: the JSON shape; sequelua validates the values.

-- "?limit=10": absent -> default; present -> digits only, within [min, max].
local function int_arg(args, name, default, min, max, items)
  local v = args[name]
  if v == nil then return default end
  if type(v) ~= "string" or not v:match("^%d+$") or #v > 9 or tonumber(v) < min or tonumber(v) > max then
    items[#items + 1] = { path = name, value = type(v) == "string" and v or NULL, type = "Validation error",
                          message = ("%s must be an integer from %d to %d"):format(name, min, max) }
    return nil
  end
  return tonumber(v)
end

local function is_object(v) return type(v) == "table" and (next(v) == nil or v[1] == nil) end
local function is_array(v) return type(v) == "table" and (next(v) == nil or v[1] ~= nil) end

-- Copy the named fields (strings or null) of src into a new table; report anything else.
local function pick(src, fields, prefix, items)
  local out = {}
  for _, f in ipairs(fields) do
    local v = src[f]
    if v ~= nil and v ~= NULL and type(v) ~= "string" then
      items[#items + 1] = { path = prefix .. f, value = NULL, type = "Validation error",
                            message = prefix .. f .. " must be a string or null" }
    else
      out[f] = v
    end
  end
  return out
end

-- { username, email, Profile = { bio }, Posts = { { title, body }, ... } }; other keys
-- (id, UserId, timestamps) are dropped, so a client cannot choose keys or dates.
local function user_input(body)
  local items = {}
  local input = pick(body, { "username", "email" }, "", items)
  local profile = body.Profile
  if profile ~= nil and profile ~= NULL then
    if is_object(profile) then input.Profile = pick(profile, { "bio" }, "Profile.", items)
    else items[#items + 1] = { path = "Profile", value = NULL, type = "Validation error",
                               message = "Profile must be an object or null" } end
  end
  local posts = body.Posts
  if posts ~= nil and posts ~= NULL then
    if is_array(posts) then
      input.Posts = {}
      for i, p in ipairs(posts) do
        if is_object(p) then input.Posts[i] = pick(p, { "title", "body" }, "Posts." .. (i - 1) .. ".", items)
        else items[#items + 1] = { path = "Posts." .. (i - 1), value = NULL, type = "Validation error",
                                   message = "Posts." .. (i - 1) .. " must be an object" } end
      end
    else
      items[#items + 1] = { path = "Posts", value = NULL, type = "Validation error",
                            message = "Posts must be an array" }
    end
  end
  return input, items
end

local function read_json_object()
  ngx.req.read_body()
  local raw = ngx.req.get_body_data()   -- client_body_buffer_size = client_max_body_size: never a file
  if not raw or raw == "" then return nil, "a JSON object body is required" end
  if not raw:match("^%s*{") then return nil, "the body must be a JSON object" end
  local body, err = cjson.decode(raw)
  if type(body) ~= "table" then return nil, "invalid JSON: " .. tostring(err) end
  return body
end

---------------------------------------------------------------------------------------
-- Routes

-- GET /users/:id (nginx matched ^/users/([0-9]+)$)
function M.get_user(id)
  if not allow("GET", "HEAD") then return end
  run(function()
    if #id > 15 then return fail(404, "User " .. id .. " not found") end
    local user = User:findByPk(tonumber(id), {
      include = { Profile, Post },
      order = { { Post, "id", "ASC" } },
    })
    if not user then return fail(404, "User " .. id .. " not found") end
    send(200, user)
  end)
end

-- GET /posts?limit=&offset=
function M.list_posts()
  if not allow("GET", "HEAD") then return end
  run(function()
    local args = ngx.req.get_uri_args(20)
    local items = {}
    local limit = int_arg(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, items)
    local offset = int_arg(args, "offset", 0, 0, 999999999, items)
    if #items > 0 then return fail(400, "invalid query parameters", items) end
    local page = Post:findAndCountAll{ limit = limit, offset = offset, order = { { "id", "ASC" } } }
    send(200, { count = page.count, limit = limit, offset = offset, rows = page.rows })
  end)
end

-- POST /users: the user, its Profile and Posts are created in one transaction.
function M.create_user()
  if not allow("POST") then return end
  run(function()
    local body, err = read_json_object()
    if not body then return fail(400, err) end
    local input, items = user_input(body)
    if #items > 0 then return fail(400, "invalid request body", items) end
    local user = User:create(input, { include = { Profile, Post } })
    send(201, user, { Location = "/users/" .. tostring(user.id) })
  end)
end

-- Anything else.
function M.not_found()
  fail(404, "no route for " .. ngx.req.get_method() .. " " .. ngx.var.uri)
end

-- error_page target: nginx's own errors (413 body too large, 400 bad request line, ...)
-- as JSON instead of HTML.
function M.nginx_error()
  local status = ngx.status
  if not status or status < 400 then status = 500 end
  local messages = { [400] = "bad request", [413] = "request body too large",
                     [414] = "request URI too long" }
  fail(status, messages[status] or "request failed")
end

return M
