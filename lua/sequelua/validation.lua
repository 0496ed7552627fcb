-- validation.lua: attribute and model validation, Sequelize's instance-validator. At define,
-- an attribute's `validate` table is read once (normalise): the validators the C core runs
-- (validate.c, compiled with their options) and those that run here (`is` / `not` Lua
-- patterns, functions). On a write, validate runs the core's checks (allowNull, types,
-- lengths, the built-in validators) on the instance's slots, then the Lua validators, the
-- VIRTUAL attributes' and the model's, and raises one ValidationError with every item in
-- Sequelize's order; validate_hooked puts the validation hooks around it.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local H = require("sequelua.hooks")
local expr = require("sequelua.expr")

local NULL = core.null
local unpack = table.unpack or unpack
local array_mt = expr.array_mt
local ExprMT = expr.mt
local validation = {}

-- instance.lua requires this module; it is read when first needed (the instance's VIRTUAL
-- store and the list check)
local instance
local function I()
  if not instance then instance = require("sequelua.instance") end
  return instance
end

local function fail(msg, level) error(errors.new(errors.Error, msg), (level or 1) + 1) end

-- ---------------------------------------------------------------------------
-- At define: validate = { ... } read into the core's validators and the Lua ones

-- A validator argument as JavaScript's String() writes it (1.0 is "1": the value it is
-- compared with is written so)
local function js_text(x)
  if type(x) == "number" and x == x and x ~= math.huge and x ~= -math.huge then
    return expr.js_number(x)
  end
  return tostring(x)
end

-- validators the C core runs; `is`, `not` and functions run in Lua
local C_VALIDATORS = {
  isEmail = true, isUrl = true, isIP = true, isIPv4 = true, isIPv6 = true, isAlpha = true,
  isAlphanumeric = true, isNumeric = true, isInt = true, isFloat = true, isDecimal = true, isLowercase = true,
  isUppercase = true, isUUID = true, notEmpty = true, isIn = true, notIn = true, len = true, min = true,
  max = true, contains = true, notContains = true, equals = true, isDate = true, notNull = true,
  isAfter = true, isBefore = true, isNull = true, isHexadecimal = true, isOctal = true, isAscii = true,
  isBase64 = true, isHexColor = true, isBoolean = true, isPort = true, isMD5 = true, isMongoId = true,
  isSlug = true, isJSON = true, isLuhnNumber = true, isCreditCard = true, isEmpty = true, isDivisibleBy = true,
  isISO8601 = true, isMACAddress = true, isSemVer = true, isLatLong = true, isMimeType = true, isJWT = true,
  isLocale = true, isCurrency = true, isRgbColor = true, isHSL = true, isTime = true, isRFC3339 = true,
  isBase32 = true, isBase58 = true, isULID = true, isEthereumAddress = true, isBtcAddress = true,
  isMultibyte = true, isFullWidth = true, isHalfWidth = true, isVariableWidth = true, isMagnetURI = true,
  isHash = true, isFQDN = true, isStrongPassword = true, isByteLength = true, isEAN = true, isISSN = true,
  isISO31661Alpha2 = true, isISO31661Alpha3 = true, isISO4217 = true,
}
-- the options validator.js reads of these (Sequelize passes a table given as the validator's
-- options, or as `args` or its first item), each to what the core takes: c.a / c.b
local V_OPTIONS = {
  isEmpty = { ignore_whitespace = "a" },
  isISO8601 = { strict = "a", strictSeparator = "b" },
  isMACAddress = { eui = "a", no_separators = "b", no_colons = "b" },
  isLatLong = { checkDMS = "a" },
  isRgbColor = { includePercentValues = "a", allowSpaces = "b" },
  isTime = { hourFormat = "a", mode = "b" },
  isBase32 = { crockford = "a" },
  isISSN = { require_hyphen = "a", case_sensitive = "b" },
  isStrongPassword = { minLength = 1, minLowercase = 2, minUppercase = 3, minNumbers = 4, minSymbols = 5,
                       -- (read by validator.js only for returnScore: the list's slots 6..11)
                       returnScore = 0, pointsPerUnique = 0, pointsPerRepeat = 0, pointsForContainingLower = 0,
                       pointsForContainingUpper = 0, pointsForContainingNumber = 0, pointsForContainingSymbol = 0 },
  isISO31661Alpha2 = { userAssignedCodes = 2 },
  isISO31661Alpha3 = { userAssignedCodes = 3 },
}
-- isStrongPassword's points for returnScore, in the core's order, and validator.js's defaults
local STRONG_POINTS = { "pointsPerUnique", "pointsPerRepeat", "pointsForContainingLower", "pointsForContainingUpper",
                        "pointsForContainingNumber", "pointsForContainingSymbol" }
local STRONG_DEFAULTS = { 1, 0.5, 10, 10, 10, 10 }
-- isHash's algorithms and the hex digits of each (validator.js)
local HASH_LENGTHS = { md5 = 32, md4 = 32, sha1 = 40, sha256 = 64, sha384 = 96, sha512 = 128, ripemd128 = 32,
                       ripemd160 = 40, tiger128 = 32, tiger160 = 40, tiger192 = 48, crc32 = 8, crc32b = 8 }
local TIME_MODES = { default = 0, withSeconds = 1, withOptionalSeconds = 2 }
-- JavaScript's truthiness of an option's value
local function js_truthy(x)
  return x ~= nil and x ~= false and x ~= 0 and x ~= "" and x ~= NULL and x == x
end
-- validator.js's own names of validators Sequelize also knows by its names (its validator is
-- validator.js extended: `isURL` runs what `isUrl` runs, `isLength` what `len` runs); the
-- messages and items name them as given
local V_ALIASES = { isURL = "isUrl", isLength = "len" }
-- validator.js's English locales, whose isAlpha / isAlphanumeric alphabets are en-US's
local EN_LOCALES = { ["en-US"] = true, ["en-AU"] = true, ["en-GB"] = true, ["en-HK"] = true, ["en-IN"] = true,
                     ["en-NZ"] = true, ["en-ZA"] = true, ["en-ZM"] = true }
-- The validatorArgs of a built-in validator's error item, as Sequelize's instance-validator
-- extracts them: `args` (or the option itself), a list as given, anything else in a list;
-- isAlpha, isAlphanumeric (not given a locale string) and isIP: none; isEmail / isUrl
-- with `true` or `{ msg }`: an options table ({}, or { msg = ... }).
local function validator_args(key, v)
  if (key == "isEmail" or key == "isUrl" or key == "isURL") then
    if type(v) == "table" and v.msg ~= nil then v = { msg = v.msg } elseif v == true then v = {} end
  end
  local a = v
  if type(v) == "table" and v.args ~= nil then a = v.args end
  if type(a) == "table" and (a[1] ~= nil or ((key == "isIn" or key == "notIn") and next(a) == nil)) then
    local copy = {}
    for i, x in ipairs(a) do copy[i] = x end
    return copy
  end
  if key == "isIP" or ((key == "isAlpha" or key == "isAlphanumeric") and type(a) ~= "string") then return {} end
  return { a }
end

-- The options of validator.js's isURL, isEmail and isFQDN, each with its kind and default
-- (validator.js 13.15; isURL hands its options on to isFQDN, which reads its own there too)
local FQDN_OPTS = { require_tld = true, allow_underscores = false, allow_trailing_dot = false,
                    allow_numeric_tld = false, allow_wildcard = false, ignore_max_length = false }
local HOST_OPTS = {
  isURL = { protocols = "list", require_tld = true, require_protocol = false, require_host = true,
            require_port = false, require_valid_protocol = true, allow_underscores = false,
            host_whitelist = "list", host_blacklist = "list", allow_trailing_dot = false,
            allow_protocol_relative_urls = false, allow_fragments = true, allow_query_components = true,
            disallow_auth = false, validate_length = true, max_allowed_length = "number",
            allow_numeric_tld = false, allow_wildcard = false, ignore_max_length = false },
  isEmail = { allow_display_name = false, require_display_name = false, allow_utf8_local_part = true,
              require_tld = true, allow_ip_domain = false, allow_underscores = false,
              domain_specific_validation = false, blacklisted_chars = "string", ignore_max_length = false,
              host_blacklist = "list", host_whitelist = "list" },
  isFQDN = FQDN_OPTS,
}

-- the code points of a UTF-8 string, or nil when it is not valid UTF-8
local function utf8_points(s)
  local out, i, n = {}, 1, #s
  while i <= n do
    local b = s:byte(i)
    local len, cp = b < 0x80 and 1 or b >= 0xF0 and b < 0xF5 and 4 or b >= 0xE0 and 3 or b >= 0xC2 and 2 or nil, nil
    if not len or i + len - 1 > n then return nil end
    cp = len == 1 and b or len == 2 and b - 0xC0 or len == 3 and b - 0xE0 or b - 0xF0
    for k = i + 1, i + len - 1 do
      local c = s:byte(k)
      if c < 0x80 or c > 0xBF then return nil end
      cp = cp * 64 + (c - 0x80)
    end
    if (len == 3 and (cp < 0x800 or (cp >= 0xD800 and cp <= 0xDFFF))) or (len == 4 and (cp < 0x10000 or cp > 0x10FFFF)) then
      return nil
    end
    out[#out + 1] = cp
    i = i + len
  end
  return out
end

-- isEmail's blacklisted_chars, which validator.js reads as the class of `[chars]+`: its ranges
-- of UTF-16 units (lo, hi, ...), or nil and why not
local function class_ranges(chars)
  local cps = utf8_points(chars)
  if not cps then return nil, "is not UTF-8" end
  local units = {}
  for _, cp in ipairs(cps) do
    if cp == 0x5C or cp == 0x5D then return nil, "holds \\ or ] (read as regular expression syntax)" end
    if cp > 0xFFFF then -- (a class without the u flag holds the two halves)
      units[#units + 1] = 0xD800 + math.floor((cp - 0x10000) / 0x400)
      units[#units + 1] = 0xDC00 + (cp - 0x10000) % 0x400
      units[#units] = -units[#units] -- (marked: not a range's end)
      units[#units - 1] = -units[#units - 1]
    else
      units[#units + 1] = cp
    end
  end
  if units[1] == 0x5E then return nil, "starts with ^ (a negated class)" end
  local ranges, i = {}, 1
  while i <= #units do
    local a = units[i]
    if units[i + 1] == 0x2D and units[i + 2] ~= nil then
      local b = units[i + 2]
      if a < 0 or b < 0 then return nil, "has a range with a character above U+FFFF" end
      if a > b then return nil, "has a range out of order" end
      ranges[#ranges + 1], ranges[#ranges + 2] = a, b
      i = i + 3
    else
      a = math.abs(a)
      ranges[#ranges + 1], ranges[#ranges + 2] = a, a
      i = i + 1
    end
  end
  return ranges
end

-- isUrl / isURL / isEmail / isFQDN / isIP as Sequelize hands them to validator.js: the
-- options (or isIP's version) read once into the core's validator c; what Sequelize would
-- not pass on is refused rather than silently dropped
local function host_validator(model, attr, key, v, c)
  local function bad(fmt, ...) fail(("%s.%s: " .. fmt):format(model, attr, ...), 6) end
  -- Sequelize: `test.args || test`, a list's first item being the option argument
  local a = v
  if type(v) == "table" and v.args ~= nil and js_truthy(v.args) then a = v.args end
  local list = type(a) == "table" and a[1] ~= nil
  if key == "isIP" then
    -- only a list reaches validator.js (isIP(str, version) or isIP(str, { version }))
    local ver
    if list then
      ver = a[1]
      if type(ver) == "table" then ver = ver.version end
    elseif type(a) == "number" or type(a) == "string" or (type(a) == "table" and a.version ~= nil) then
      bad("isIP's version is passed by Sequelize only in a list: isIP = { %s } (or { args = { %s } })",
        tostring(type(a) == "table" and a.version or a), tostring(type(a) == "table" and a.version or a))
    end
    if ver ~= nil and js_truthy(ver) then
      local t = js_text(ver)
      if t ~= "4" and t ~= "6" then bad("isIP's version must be 4 or 6 (got %s)", tostring(ver)) end
      c.a = tonumber(t)
    end
    return
  end
  local o = list and a[1] or a
  if type(o) ~= "table" then
    if o ~= true and o ~= nil and js_truthy(o) then
      bad("options for validator %s must be a table (%s)", key, tostring(o))
    end
    return -- (validator.js: anything not an object is its defaults)
  end
  local spec = HOST_OPTS[key == "isUrl" and "isURL" or key]
  local given = {}
  for k, x in pairs(o) do
    if not (o == v and (k == "msg" or k == "args")) then
      if type(k) ~= "string" or spec[k] == nil then
        local names = {}
        for name in pairs(spec) do names[#names + 1] = name end
        table.sort(names)
        bad("%s option '%s' is not supported (%s are)", key, tostring(k), table.concat(names, ", "))
      end
      local kind = spec[k]
      if type(kind) == "boolean" and type(x) ~= "boolean" then
        bad("%s option '%s' must be a boolean (got %s)", key, k, type(x))
      elseif kind == "number" and type(x) ~= "number" then
        bad("%s option '%s' must be a number (got %s)", key, k, type(x))
      elseif kind == "string" and type(x) ~= "string" then
        bad("%s option '%s' must be a string (got %s)", key, k, type(x))
      elseif kind == "list" then
        local ok = type(x) == "table"
        if ok then
          local n = 0
          for _ in pairs(x) do n = n + 1 end
          for i = 1, n do if type(x[i]) ~= "string" then ok = false end end
        end
        if not ok then
          bad("%s option '%s' must be a list of strings (regular expressions cannot be given from Lua)", key, k)
        end
      end
      given[k] = x
    end
  end
  if next(given) == nil then return end
  -- what Sequelize passes on: its isUrl reads no options (validator.js's isURL does), and
  -- isUrl / isURL / isEmail given a msg get `{ msg }` alone
  if key == "isUrl" then
    bad("Sequelize's isUrl reads no options (it calls validator.js's isURL without them): name the validator isURL")
  end
  if (key == "isURL" or key == "isEmail") and type(v) == "table" and v.msg ~= nil and js_truthy(v.msg) then
    bad("Sequelize passes %s no options when a msg is given (its validator keeps the msg alone)", key)
  end
  local opts = { flags = {}, protocols = {}, white = {}, black = {} }
  for k, d in pairs(spec) do
    if type(d) == "boolean" then
      if given[k] == nil then opts.flags[k] = d else opts.flags[k] = given[k] end
    end
  end
  if key == "isURL" then
    opts.protocols = given.protocols or { "http", "https", "ftp" }
    opts.max_len = given.max_allowed_length or 2084
    -- (isURL: any table given, even an empty one, is a list to check)
    opts.flags.host_whitelist = given.host_whitelist ~= nil
    opts.flags.host_blacklist = given.host_blacklist ~= nil
  end
  opts.white = given.host_whitelist or {}
  opts.black = given.host_blacklist or {}
  if given.blacklisted_chars and given.blacklisted_chars ~= "" then
    local ranges, why = class_ranges(given.blacklisted_chars)
    if not ranges then bad("isEmail option 'blacklisted_chars' %s", why) end
    opts.ranges = ranges
  end
  c.opts = opts
end

-- Validators added with Sequelize.Validator.extend(name, fn) (Sequelize's validator.extend: one
-- registry for the process, as Sequelize's validator object); fn(String(value), args...)
-- returns whether the value passes. A name must be registered when a model naming it is
-- defined; its function is the one registered when the validator runs.
local extensions = {}
validation.Validator = {}
function validation.Validator.extend(name, fn, fn2)
  if name == validation.Validator then name, fn = fn, fn2 end -- (Validator:extend(name, fn) too)
  if type(name) ~= "string" or name == "" then fail("Validator.extend: the name must be a non-empty string", 2) end
  if type(fn) ~= "function" then
    fail(("Validator.extend: the validator '%s' must be a function, got %s"):format(name, type(fn)), 2)
  end
  extensions[name] = fn
  return validation.Validator
end

-- isImmutable (Sequelize's validator-extras): a new record, or a value equal to the stored one
local function immutable_check(v, inst, name)
  return inst.isNewRecord or v == inst:previous(name)
end

-- validate = { ... } -> C validator specs and Lua validators; each carries `vargs`, its
-- error items' validatorArgs (a function: none, as Sequelize gives a custom validator)
function validation.normalise(model, attr, spec)
  local cv, lv = {}, {}
  if spec == nil then return cv, lv end
  if type(spec) ~= "table" then fail(("%s.%s: validate must be a table"):format(model, attr), 4) end
  local keys = {}
  for k in pairs(spec) do
    if type(k) ~= "string" then fail(("%s.%s: validator names must be strings"):format(model, attr), 4) end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local v = spec[key]
    if type(v) == "function" then
      lv[#lv + 1] = { key = key, fn = v }
    elseif v ~= false then
      local msg, args = nil, v
      if type(v) == "table" and (v.msg ~= nil or v.args ~= nil) then msg, args = v.msg, v.args end
      if args == nil then args = true end
      -- (`isIPv4 = {}`: an empty options table is the validator with its defaults, as validator.js
      -- reads Sequelize's `[{}]`)
      -- (isIn / notIn: `{}` is an empty list, which no value is in, as Sequelize's `isIn: []`)
      if type(args) == "table" and getmetatable(args) == nil and next(args) == nil
         and key ~= "isIn" and key ~= "notIn" then args = true end
      -- (isAlpha / isAlphanumeric given an English locale: validator.js's en-AU, en-GB, ... alphabets
      -- are en-US's, the one these validators check; another locale is refused below. The locale
      -- alone, or first in a list as Sequelize passes a list's items on: `{ "en-GB" }`)
      if (key == "isAlpha" or key == "isAlphanumeric") and type(args) == "table" and getmetatable(args) == nil
         and #args == 1 and next(args, 1) == nil and type(args[1]) == "string" and EN_LOCALES[args[1]] then
        args = args[1]
      end
      if (key == "isAlpha" or key == "isAlphanumeric") and type(args) == "string" and EN_LOCALES[args] then
        args = true
      end
      if key == "is" or key == "not" or key == "regex" or key == "notRegex" then
        local pattern = type(args) == "table" and args[1] or args
        if type(pattern) ~= "string" then
          fail(("%s.%s: validator %s needs a Lua pattern string"):format(model, attr, key), 4)
        end
        lv[#lv + 1] = { key = key, pattern = pattern, msg = msg, vargs = validator_args(key, v) }
      elseif extensions[key] then
        -- (the function registered when it runs: extend again replaces it for models defined
        -- already too, as Sequelize's validator[name] is read on each validation)
        local vargs = validator_args(key, v)
        lv[#lv + 1] = { key = key, msg = msg, vargs = vargs,
                        check = function(x) return extensions[key](js_text(x), unpack(vargs)) end }
      elseif (key == "isIn" or key == "notIn") and type(args) == "string" then
        -- (a string: validator.js's isIn tests `args.indexOf(value) >= 0`, a substring; notIn the opposite)
        local text, want = args, key == "isIn"
        lv[#lv + 1] = { key = key, msg = msg, vargs = validator_args(key, v),
                        check = function(x) return (text:find(js_text(x), 1, true) ~= nil) == want end }
      elseif key == "isImmutable" then
        lv[#lv + 1] = { key = key, msg = msg, vargs = validator_args(key, v), check = immutable_check }
      elseif C_VALIDATORS[key] or V_ALIASES[key] then
        local c = { key = V_ALIASES[key] or key, name = V_ALIASES[key] and key or nil, msg = msg,
                    vargs = validator_args(key, v) }
        if key == "isRgbColor" then c.a = 1 end -- (includePercentValues unless told)
        if key == "isUrl" or key == "isURL" or key == "isEmail" or key == "isFQDN" or key == "isIP" then
          host_validator(model, attr, key, v, c)
        elseif key == "isLength" then
          -- validator.js: isLength(str, { min, max }) or its older (str, min, max)
          local o = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or nil
          local lo, hi = o and (o.min or o[1]), o and (o.max or o[2])
          local bad = not o or (lo ~= nil and type(lo) ~= "number") or (hi ~= nil and type(hi) ~= "number")
          for k in pairs(o or {}) do
            if k ~= "min" and k ~= "max" and k ~= 1 and k ~= 2 then bad = true end
          end
          if bad then fail(("%s.%s: isLength needs { min = n, max = n } or { min, max } (numbers)"):format(model, attr), 4) end
          c.a, c.b = lo or 0, hi
        elseif key == "isIn" or key == "notIn" then
          local list = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or nil
          if not list then fail(("%s.%s: %s needs a list of values"):format(model, attr, key), 4) end
          c.list = {}
          for i, x in ipairs(list) do c.list[i] = js_text(x) end
        elseif key == "len" then
          if type(args) ~= "table" or (args[1] ~= nil and type(args[1]) ~= "number")
             or (args[2] ~= nil and type(args[2]) ~= "number") then
            fail(("%s.%s: len needs { min, max } (numbers)"):format(model, attr), 4)
          end
          c.a, c.b = args[1] or 0, args[2]
        elseif key == "min" or key == "max" then
          local n = type(args) == "table" and args[1] or args
          if type(n) ~= "number" then fail(("%s.%s: %s needs a number"):format(model, attr, key), 4) end
          c.a = n
        elseif key == "isAfter" or key == "isBefore" then
          -- validator.js: a date string, or { comparisonDate = "..." }; anything else (true:
          -- "now" is not a string there) makes toDate throw on every value: refused here
          local d = type(args) == "table" and (args.comparisonDate or args[1]) or args
          if type(d) ~= "string" then
            fail(("%s.%s: %s needs a date string (or { comparisonDate = ... })"):format(model, attr, key), 4)
          end
          c.list = { d }
        elseif key == "contains" or key == "notContains" or key == "equals" then
          local s = type(args) == "table" and args[1] or args
          c.list = { js_text(s) }
        elseif key == "isInt" or key == "isFloat" then
          -- validator.js options { min, max } (inclusive); the core takes the bounds as a, b
          local o = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or {}
          for k in pairs(o) do
            if k ~= "min" and k ~= "max" then
              fail(("%s.%s: %s option '%s' is not supported (min, max are)"):format(model, attr, key, tostring(k)), 4)
            end
          end
          if (o.min ~= nil and type(o.min) ~= "number") or (o.max ~= nil and type(o.max) ~= "number") then
            fail(("%s.%s: %s min and max must be numbers"):format(model, attr, key), 4)
          end
          c.a, c.b = o.min or -math.huge, o.max or math.huge
        elseif key == "isUUID" then
          -- a version (1 to 8), "all" / true: any version, "loose": any hex digits in
          -- UUID form (validator.js; the core reads a = 0 as loose)
          local ver = type(args) == "table" and args[1] or args
          if ver == "loose" then
            c.a = 0
          elseif ver ~= true and ver ~= "all" then
            local n = tonumber(ver)
            if not (n and n == math.floor(n) and n >= 1 and n <= 8 and (type(ver) == "number" or ver:match("^%d$"))) then
              fail(("%s.%s: isUUID takes a version 1 to 8, 'all' or 'loose'"):format(model, attr), 4)
            end
            c.a = n
          end
        elseif key == "isDivisibleBy" then
          -- validator.js: str % parseInt(num, 10) (NaN, which fails every value, for a
          -- number it cannot read and for 0)
          local num = type(args) == "table" and args[1] or args
          if type(num) == "table" then
            fail(("%s.%s: isDivisibleBy needs a number"):format(model, attr), 4)
          end
          local int = js_text(num):match("^%s*([+-]?%d+)")
          c.a = int and tonumber(int) or 0 / 0
        elseif key == "isHash" then
          local alg = type(args) == "table" and args[1] or args
          if not HASH_LENGTHS[alg] then
            fail(("%s.%s: isHash needs an algorithm: md5, md4, sha1, sha256, sha384, sha512, ripemd128, ripemd160, "
              .. "tiger128, tiger160, tiger192, crc32 or crc32b"):format(model, attr), 4)
          end
          c.a = HASH_LENGTHS[alg]
        elseif key == "isByteLength" then
          -- validator.js: isByteLength(str, { min, max }) or (str, min, max); min || 0, true as 1
          local o = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or { args }
          local lo, hi = o.min, o.max
          if o[1] ~= nil or o[2] ~= nil then lo, hi = o[1], o[2] end
          if lo == true then lo = 1 end
          local bad = (lo ~= nil and type(lo) ~= "number") or (hi ~= nil and type(hi) ~= "number")
          for k in pairs(o) do
            if k ~= "min" and k ~= "max" and k ~= 1 and k ~= 2 then bad = true end
          end
          if bad then
            fail(("%s.%s: isByteLength needs { min = n, max = n } or { min, max } (numbers)"):format(model, attr), 4)
          end
          c.a, c.b = lo or 0, hi or math.huge
        elseif key == "isRgbColor" and type(v) == "table" and v.args ~= nil and not js_truthy(v.args) then
          -- (Sequelize passes `args or test`: the table itself, which names neither option)
          c.a = 1
        elseif key == "isRgbColor" and args ~= true and (type(args) ~= "table" or (args[1] ~= nil and type(args[1]) ~= "table")) then
          -- (a value that is not an object is includePercentValues itself)
          if type(args) == "table" then args = args[1] end
          c.a = js_truthy(args) and 1 or 0
        elseif V_OPTIONS[key] and args ~= true then
          local o = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or nil
          if not o then
            fail(("%s.%s: options for validator %s must be a table (%s)"):format(model, attr, key, tostring(args)), 4)
          end
          for k, x in pairs(o) do
            local slot = V_OPTIONS[key][k]
            if not slot then
              local names = {}
              for name in pairs(V_OPTIONS[key]) do names[#names + 1] = name end
              table.sort(names)
              fail(("%s.%s: %s option '%s' is not supported (%s are)"):format(model, attr, key, tostring(k),
                table.concat(names, ", ")), 4)
            end
            if k == "returnScore" then
              if js_truthy(x) then
                -- validator.js returns the score, which Sequelize takes as a pass unless it is 0
                -- (or NaN): the points (numbers; validator.js's defaults) go in the list's slots 6..11
                c.list = c.list or { "8", "1", "1", "1", "1" }
                for i, name in ipairs(STRONG_POINTS) do
                  local p = o[name]
                  if p == nil then p = STRONG_DEFAULTS[i] end
                  if type(p) ~= "number" then
                    fail(("%s.%s: isStrongPassword option '%s' must be a number"):format(model, attr, name), 4)
                  end
                  c.list[5 + i] = js_text(p)
                end
              end
            elseif key == "isStrongPassword" and slot == 0 then -- luacheck: ignore 542
              -- (the score's points: read above with returnScore)
            elseif key == "isStrongPassword" then
              -- (validator.js compares with >=: a numeric string as its number)
              local num = type(x) == "number" and x or (type(x) == "string" and tonumber(x)) or nil
              if not num then
                fail(("%s.%s: isStrongPassword option '%s' must be a number"):format(model, attr, k), 4)
              end
              c.list = c.list or { "8", "1", "1", "1", "1" }
              c.list[slot] = js_text(num)
            elseif k == "userAssignedCodes" then
              -- validator.js: the codes of `slot` ASCII letters, upper-cased, pass too
              if type(x) ~= "table" then
                fail(("%s.%s: %s option userAssignedCodes must be a list of codes"):format(model, attr, key), 4)
              end
              c.list = {}
              for _, code in ipairs(x) do
                if type(code) == "string" and #code == slot and not code:find("[^A-Za-z]") then c.list[#c.list + 1] = code:upper() end
              end
            elseif k == "hourFormat" or k == "mode" then
              local v = k == "mode" and TIME_MODES[x] or (x == "hour24" and 0 or x == "hour12" and 1 or nil)
              if not v then
                fail(("%s.%s: isTime %s must be %s"):format(model, attr, k, k == "mode"
                  and "default, withSeconds or withOptionalSeconds" or "hour24 or hour12"), 4)
              end
              c[slot] = v
            elseif k == "includePercentValues" then
              c.a = js_truthy(x) and 1 or 0
            elseif k == "eui" then -- (String(options.eui): "48" or "64"; anything else, either)
              local e = js_text(x)
              if e == "48" or e == "64" then c.a = tonumber(e) end
            elseif js_truthy(x) then
              c[slot] = 1
            end
          end
        elseif args ~= true and key ~= "notNull" then
          -- (an option the core would not apply: refused rather than silently ignored)
          fail(("%s.%s: options for validator %s are not supported (%s)"):format(model, attr, key, tostring(args)), 4)
        end
        cv[#cv + 1] = c
      else
        fail(("%s.%s: unknown validator '%s'"):format(model, attr, key), 4)
      end
    end
  end
  return cv, lv
end

-- ---------------------------------------------------------------------------
-- On a write: the validators run over an instance

-- A built-in validator's item (from the core): its validatorArgs (from the attribute's
-- normalised validators `cv`) and `original`, the Error Sequelize's validator throws;
-- notNull and type checks name no validator
local function builtin_item(it, cv)
  if it.type == "Validation error" and not it.bare then
    for _, c in ipairs(cv or {}) do
      if (c.name or c.key) == it.validatorKey then it.validatorArgs = c.vargs end
    end
    it.original = errors.new(errors.Error, it.message,
      { validatorName = it.validatorName, validatorArgs = it.validatorArgs or {} })
  else
    it.validatorName = nil
  end
end

-- The message a validator function raised, without the position error() put before it
-- ("file.lua:12: "): that of the function's own chunk, or of a .lua file; text of the
-- caller's own that looks alike ("Step:2: bad" raised with level 0) is kept
local function raised_message(fn, err, fallback)
  if type(err) == "table" then
    -- an error object's message; a table without one, the fallback (not its address, which
    -- changes from run to run: the table itself is the item's `original`)
    if err.message ~= nil then return err.message end
    local mt = getmetatable(err)
    if not (mt and mt.__tostring) then return fallback end
  end
  local msg = tostring(err)
  local src = debug.getinfo(fn, "S").short_src
  local n = #src
  if msg:sub(1, n + 1) == src .. ":" then
    local rest = msg:match("^%d+: (.*)$", n + 2)
    if rest then return rest end
  end
  return (msg:gsub("^[^:\n]-%.lua:%d+: ", ""))
end

-- An attribute's Lua validators (functions; `is`/`not` patterns) on its value v (nil: a null,
-- which only functions see), each failure added to items.
local function run_lua_validators(self, name, v, list, items)
  for _, spec in ipairs(list) do
    if v ~= nil or spec.fn then
      local ok, msg, err = true, nil, nil
      if spec.fn then
        local good
        good, err = pcall(spec.fn, v, self)
        if not good then
          ok = false
          msg = raised_message(spec.fn, err, "Validation " .. tostring(spec.key) .. " on " .. name .. " failed")
        end
      elseif spec.check then
        local good, res = pcall(spec.check, v, self, name)
        ok = good and res ~= nil and res ~= false
        if not ok then msg = spec.msg or ("Validation " .. spec.key .. " on " .. name .. " failed") end
        if not good then err = res end
      else
        local found = tostring(v):find(spec.pattern) ~= nil
        if spec.key == "is" or spec.key == "regex" then ok = found else ok = not found end
        if not ok then msg = spec.msg or ("Validation " .. spec.key .. " on " .. name .. " failed") end
      end
      if not ok then
        -- a pattern is one of Sequelize's built-ins (validatorName, validatorArgs); a function
        -- is custom: no name, no args, `original` the value it raised
        local original
        if spec.fn then
          original = type(err) == "table" and err or errors.new(errors.Error, msg)
        else
          original = type(err) == "table" and err
            or errors.new(errors.Error, msg, { validatorName = spec.key, validatorArgs = spec.vargs })
        end
        items[#items + 1] = { message = msg, type = "Validation error", path = name, value = v == nil and NULL or v,
                              validatorKey = spec.key, validatorName = not spec.fn and spec.key or nil,
                              validatorArgs = not spec.fn and spec.vargs or nil, original = original,
                              origin = "FUNCTION" }
      end
    end
  end
end

-- The attributes `fields` names (all of M's when nil), in order, but those in the set `skip`
function validation.fields_without(M, fields, skip)
  local out = {}
  if fields then
    for _, f in ipairs(fields) do if not skip[f] then out[#out + 1] = f end end
  else
    for _, a in ipairs(M._attrs) do if not skip[a.fieldName] then out[#out + 1] = a.fieldName end end
  end
  return out
end

-- `skip` (Sequelize's options.skip): attribute names, and model validator names, left out.
-- The items in Sequelize's order, which its validator's promises make: per attribute (in
-- attribute order) a null or type violation and its own validator functions' failures, then
-- the model's validators, then the built-in validators' failures (attribute order).
local MODEL_ITEM = {} -- (a key marking a model validator's item)
local function order_items(M, items)
  local n = #M._attrs
  local vpos
  if M._virtual_list then
    vpos = {}
    for i, v in ipairs(M._virtual_list) do vpos[v.name] = n + i end
  end
  local keyed = {}
  for i, it in ipairs(items) do
    local phase = it[MODEL_ITEM] and 2 or (it.validatorName ~= nil and 3 or 1)
    local pos = M._index[it.path] or (vpos and vpos[it.path]) or 0
    keyed[i] = { phase, pos, i, it }
  end
  table.sort(keyed, function(x, y)
    if x[1] ~= y[1] then return x[1] < y[1] end
    if x[2] ~= y[2] then return x[2] < y[2] end
    return x[3] < y[3]
  end)
  for i, k in ipairs(keyed) do
    k[4][MODEL_ITEM] = nil
    items[i] = k[4]
  end
end

-- The notNull items of belongsTo foreign keys whose parent the instance holds, built with
-- include = { Parent } (tree: its include nodes): the parent's save fills the key, so none
-- is a violation (Sequelize's _validateSchema skips such a key when the association's value
-- is set, which only an include makes: a parent assigned to a plain row is no value of it)
local function drop_held_parent_keys(self, items, tree)
  local out
  for i, it in ipairs(items) do
    local held = false
    if it.type == "notNull Violation" then
      for _, node in ipairs(tree) do
        local a = node.assoc
        if a.associationType == "BelongsTo" and a.foreignKey == it.path then
          local p = rawget(self, a.as)
          if p ~= nil and p ~= NULL and p ~= false then held = true; break end
        end
      end
    end
    if held and not out then
      out = {}
      for j = 1, i - 1 do out[j] = items[j] end
    elseif not held and out then
      out[#out + 1] = it
    end
  end
  if not out then return items end
  return #out > 0 and out or nil
end

-- Run the C validators, then the Lua ones (patterns and functions), the VIRTUAL attributes'
-- and the model's; raise a ValidationError listing every failure.
function validation.validate(M, self, fields, is_new, vnames, skip)
  local sk
  if skip ~= nil then
    if type(skip) ~= "table" then error(errors.new(errors.Error, M.name .. ".validate: skip must be a list of attribute names"), 3) end
    I().check_list(M, skip, "skip", 3)
    sk = {}
    for _, f in ipairs(skip) do sk[f] = true end
    fields = validation.fields_without(M, fields, sk)
  end
  local cfields = fields
  if fields and M._virtuals then -- (the C validators check columns; VIRTUAL ones run below)
    cfields = {}
    for _, f in ipairs(fields) do if not M._virtuals[f] then cfields[#cfields + 1] = f end end
  end
  local items = core.validate(M._box, self, cfields, is_new)
  if items then
    local pending = rawget(self, -3) -- (built with include: its include tree)
    if pending and pending.tree then items = drop_held_parent_keys(self, items, pending.tree) end
  end
  local lv = M._lua_validators
  if not items then
    if not lv and not M._model_validators and not M._virtual_checks then return end
    items = {}
  end
  -- the built-in validators' items (from the core): their validatorArgs and `original`, the
  -- Error Sequelize's validator throws; notNull and type checks name no validator
  for _, it in ipairs(items) do
    local src = M._by_name and M._by_name[it.path]
    builtin_item(it, src and src.validators)
  end
  if lv then
    local only
    if fields then
      only = {}
      for _, f in ipairs(fields) do only[f] = true end
    end
    -- a null that is not allowed, or a value of the wrong type, stops an attribute's own
    -- validators; a failed built-in validator does not (Sequelize reports them all)
    local bad = {}
    for _, it in ipairs(items) do
      if it.type ~= "Validation error" then bad[it.path] = true end
    end
    for _, a in ipairs(M._attrs) do
      local name = a.fieldName
      local list = lv[name]
      if list and (not only or only[name]) and not bad[name] then
        local v = rawget(self, a.index)
        local isnull = v == nil or v == NULL
        -- with allowNull = true given, functions run on a null too (Sequelize); patterns do not
        local src = M._by_name and M._by_name[name]
        local on_null = isnull and src and src.allowNull == true
        -- (a Sequelize.fn/literal/col value is SQL: not validated, as in Sequelize)
        if (not isnull or on_null) and not (type(v) == "table" and getmetatable(v) == ExprMT) then
          if isnull then v = nil end
          run_lua_validators(self, name, v, list, items)
        end
      end
    end
  end
  if M._virtual_checks then validation.validate_virtuals(M, self, fields, is_new, items, vnames, sk) end
  if M._model_validators then
    for _, spec in ipairs(M._model_validators) do
      local good, err = true, nil
      if not (sk and sk[spec.key]) then good, err = pcall(spec.fn, self) end
      if not good then
        local msg = raised_message(spec.fn, err, "Validation " .. tostring(spec.key) .. " failed")
        items[#items + 1] = { message = msg, type = "Validation error", path = spec.key, value = NULL,
                              validatorKey = spec.key, origin = "FUNCTION",
                              original = type(err) == "table" and err or errors.new(errors.Error, msg),
                              [MODEL_ITEM] = true }
      end
    end
  end
  if #items > 0 then
    for _, it in ipairs(items) do it.instance = self end
    if #items > 1 then order_items(M, items) end
    error(errors.validation(items), 3)
  end
end

-- The options the validation hooks see: Sequelize's validator takes a copy of the call's
-- (with hooks true), without this port's own keys ("_..."), and `skip` the list given, else
-- the attributes its `fields` (or the fields validated) leave out, else {}. Returns it and
-- the skip list put in it.
local function validation_hook_options(M, opts, fields)
  local o = { hooks = true }
  for k, v in pairs(opts or {}) do
    if not (type(k) == "string" and k:sub(1, 1) == "_") then o[k] = v end
  end
  if o.skip == nil then
    local skip = setmetatable({}, array_mt) -- ([] in JSON, as Sequelize's array)
    if fields then
      local listed = {}
      for _, f in ipairs(fields) do listed[f] = true end
      for _, a in ipairs(M._attrs) do
        if not listed[a.fieldName] then skip[#skip + 1] = a.fieldName end
      end
      for _, v in ipairs(M._virtual_list or {}) do
        if not listed[v.name] then skip[#skip + 1] = v.name end
      end
    end
    o.skip = skip
  end
  return o, o.skip
end

-- Validation with the hooks around it (Sequelize's instance-validator): beforeValidate, the
-- validators, then afterValidate, or validationFailed (instance, options, error) and the error
-- re-raised. `check` false runs the hooks without the validators (nothing needs them).
-- listed: the attributes the hooks' options.skip does not name (default: opts.fields, else fields)
function validation.validate_hooked(M, self, fields, is_new, opts, check, vnames, listed)
  local skip = opts and opts.skip
  -- (no validation hook to see the options: none are made, the validators read skip as given)
  -- (any_validation is false without any hooks: no H.hooked test before it)
  if (opts and opts.hooks == false) or not H.any_validation(M) then
    if check ~= false then validation.validate(M, self, fields, is_new, vnames, skip) end
    return
  end
  local hopts, shown = validation_hook_options(M, opts, listed or opts and opts.fields or fields)
  local was = {} -- (the list shown, to see a hook's change to it in place)
  for i, f in ipairs(shown) do was[i] = f end
  H.run(M, "beforeValidate", self, hopts)
  -- (a skip list a beforeValidate hook puts in its options, or the one it was given changed
  -- in place (table.insert(options.skip, "name")), is the one validation reads, as
  -- Sequelize's validator reads its options' skip after the hook)
  local moved = hopts.skip ~= shown or #shown ~= #was
  for i = 1, moved and 0 or #was do
    if shown[i] ~= was[i] then moved = true; break end
  end
  if moved then skip = hopts.skip end
  if check ~= false then
    local ok, err = pcall(validation.validate, M, self, fields, is_new, vnames, skip)
    if not ok then
      H.run(M, "validationFailed", self, hopts, err)
      error(err, 0)
    end
  end
  H.run(M, "afterValidate", self, hopts)
end

-- VIRTUAL attributes' checks: allowNull = false and the Lua validators. Which: all on a new
-- instance; else those vnames lists ({ name = true }: a save's own choice, as Sequelize's
-- fields), or without it those in `fields`, or those set since the last save.
function validation.validate_virtuals(M, self, fields, is_new, items, vnames, sk)
  local dirty = I().virtual_dirty(self)
  local only
  if vnames == nil and fields then -- (a new row's too: Sequelize skips what fields leaves out)
    only = {}
    for _, f in ipairs(fields) do only[f] = true end
  end
  for _, v in ipairs(M._virtual_checks) do
    local name = v.name
    if sk and sk[name] then
      -- skipped (options.skip)
    elseif (is_new and (not only or only[name])) or (vnames and vnames[name]) or (not vnames and only and only[name])
       or (not vnames and not only and dirty and dirty[name]) then
      -- the value set (Sequelize validates dataValues), not what a getter makes of it
      local val = I().virtual_value(self, name)
      if val == nil then
        if v.allowNull == false then
          items[#items + 1] = { message = ("%s.%s cannot be null"):format(M.name, name), type = "notNull Violation",
                                path = name, value = NULL, validatorKey = "is_null",
                                origin = "CORE" }
        end
      end
      -- (on a null only with allowNull = true given, as for columns)
      local got = v.checker and core.check(v.checker, val)
      for _, it in ipairs(got or {}) do
        builtin_item(it, v.builtin)
        items[#items + 1] = it
      end
      if val ~= nil or v.allowNull == true then run_lua_validators(self, name, val, v.validators, items) end
    end
  end
end

return validation
