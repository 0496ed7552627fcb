-- Port of Sequelize v6's test/integration/instance/values.test.js (branch v6), sqlite dialect.
-- Skipped: none. `instanceof Sequelize.Utils.Fn / Col` is the expression's kind ("fn", "col");
-- `instanceof Model` is the instance's Model; `new Date(2000, 1, 1)` is an ISO string; JSON.parse /
-- JSON.stringify in a getter/setter are a small list joiner/splitter.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function is_instance_of(x, M) return type(x) == "table" and getmetatable(x) ~= nil and x.Model == M end

describe("DAO (port of values.test.js)", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  describe("Values", function()
    describe("set", function()
      it("doesn't overwrite generated primary keys", function()
        local User = db:define("User", { name = { type = DataTypes.STRING } })
        local user = User:build{ id = 1, name = "Mick" }
        assert.equal(1, user:get("id"))
        assert.equal("Mick", user:get("name"))
        user:set{ id = 2, name = "Jan" }
        assert.equal(1, user:get("id"))
        assert.equal("Jan", user:get("name"))
      end)

      it("doesn't overwrite defined primary keys", function()
        local User = db:define("User", { identifier = { type = DataTypes.STRING, primaryKey = true } })
        local user = User:build{ identifier = "identifier" }
        assert.equal("identifier", user:get("identifier"))
        user:set("identifier", "another identifier")
        assert.equal("identifier", user:get("identifier"))
      end)

      it("doesn't set timestamps", function()
        local User = db:define("User", { identifier = { type = DataTypes.STRING, primaryKey = true } })
        local user = User:build({}, { isNewRecord = false })
        user:set{ createdAt = "2000-02-01T00:00:00.000Z", updatedAt = "2000-02-01T00:00:00.000Z" }
        assert.is_nil(user:get("createdAt"))
        assert.is_nil(user:get("updatedAt"))
      end)

      it("doesn't set underscored timestamps", function()
        local User = db:define("User", { identifier = { type = DataTypes.STRING, primaryKey = true } },
                               { underscored = true })
        local user = User:build({}, { isNewRecord = false })
        user:set{ created_at = "2000-02-01T00:00:00.000Z", updated_at = "2000-02-01T00:00:00.000Z" }
        assert.is_nil(user:get("created_at"))
        assert.is_nil(user:get("updated_at"))
      end)

      it("doesn't set value if not a dynamic setter or a model attribute", function()
        local User = db:define("User", {
          name = { type = DataTypes.STRING },
          email_hidden = { type = DataTypes.STRING },
        }, {
          setterMethods = {
            email_secret = function(self, value) self:set("email_hidden", value) end,
          },
        })
        local user = User:build()
        user:set{ name = "antonio banderaz", email = "antonio@banderaz.com", email_secret = "foo@bar.com" }
        user:set("email", "antonio@banderaz.com")
        assert.equal("antonio banderaz", user:get("name"))
        assert.equal("foo@bar.com", user:get("email_hidden"))
        assert.is_nil(user:get("email"))
        assert.is_nil(user.dataValues.email)
      end)

      it("allows use of sequelize.fn and sequelize.col in date and bool fields", function()
        local User = db:define("User", {
          d = DataTypes.DATE,
          b = DataTypes.BOOLEAN,
          always_false = { type = DataTypes.BOOLEAN, defaultValue = false },
        }, { timestamps = false })
        User:sync({ force = true })
        local user = User:create({})
        local now = Sequelize.fn("", Sequelize.fn("datetime", "now"))
        user:set{ d = now, b = Sequelize.col("always_false") }
        assert.equal("fn", user:get("d").kind)
        assert.equal("col", user:get("b").kind)
        local before = os.time()
        user:save()
        user:reload()
        -- equalDate: the same day; the stored time is within the seconds of this test
        local y, mo, dd, h, mi, s = user.d:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
        assert.truthy(y, user.d)
        assert.equal(os.date("!%Y-%m-%d", before), ("%s-%s-%s"):format(y, mo, dd))
        local t = os.time{ year = tonumber(y), month = tonumber(mo), day = tonumber(dd),
                           hour = tonumber(h), min = tonumber(mi), sec = tonumber(s) }
        local utc_offset = os.time(os.date("*t", before)) - os.time(os.date("!*t", before))
        assert.is_true(math.abs(t + utc_offset - before) <= 2)
        assert.equal(false, user.b)
      end)

      describe("includes", function()
        local function basic(raw, productName)
          local Product = db:define(productName, { title = DataTypes.STRING })
          local Tag = db:define("tag", { name = DataTypes.STRING })
          local User = db:define("user", { first_name = DataTypes.STRING, last_name = DataTypes.STRING })
          Product:hasMany(Tag)
          Product:belongsTo(User)
          local product = Product:build({}, { include = { User, Tag } })
          product:set({
            id = 1,
            title = "Chair",
            tags = { { id = 1, name = "Alpha" }, { id = 2, name = "Beta" } },
            user = { id = 1, first_name = "Mick", last_name = "Hansen" },
          }, raw and { raw = true } or nil)
          assert.truthy(product.tags)
          assert.equal(2, #product.tags)
          assert.is_true(is_instance_of(product.tags[1], Tag))
          assert.truthy(product.user)
          assert.is_true(is_instance_of(product.user, User))
        end

        it("should support basic includes", function() basic(false, "product") end)

        it("should support basic includes (with raw: true)", function() basic(true, "Product") end)
      end)
    end)

    describe("get", function()
      it("should use custom attribute getters in get(key)", function()
        local Product = db:define("Product", {
          price = { type = DataTypes.FLOAT, get = function(self) return self.dataValues.price * 100 end },
        })
        local product = Product:build{ price = 10 }
        assert.equal(1000, product:get("price"))
      end)

      it("should custom virtual getters in get(key)", function()
        local Product = db:define("Product", { priceInCents = { type = DataTypes.FLOAT } }, {
          getterMethods = { price = function(self) return self.dataValues.priceInCents / 100 end },
        })
        local product = Product:build{ priceInCents = 1000 }
        assert.equal(10, product:get("price"))
      end)

      it("should use custom getters in toJSON", function()
        local Product = db:define("Product", {
          price = { type = DataTypes.STRING, get = function(self) return self.dataValues.price * 100 end },
        }, {
          getterMethods = { withTaxes = function(self) return self:get("price") * 1.25 end },
        })
        local product = Product:build{ price = 10 }
        assert.same({ withTaxes = 1250, price = 1000, id = Sequelize.null }, product:toJSON())
      end)

      it("should work with save", function()
        local Contact = db:define("Contact", {
          first = { type = DataTypes.STRING },
          last = { type = DataTypes.STRING },
          tags = {
            type = DataTypes.STRING,
            get = function(self, field)
              local val, out = self:getDataValue(field), {}
              for w in val:gmatch("[^,]+") do out[#out + 1] = w end
              return out
            end,
            set = function(self, val, field) self:setDataValue(field, table.concat(val, ",")) end,
          },
        })
        db:sync()
        local contact = Contact:build{ first = "My", last = "Name", tags = { "yes", "no" } }
        assert.same({ "yes", "no" }, contact:get("tags"))
        local me = contact:save()
        assert.same({ "yes", "no" }, me:get("tags"))
      end)

      describe("plain", function()
        it("should return plain values when true", function()
          local Product = db:define("product", { title = DataTypes.STRING })
          local User = db:define("user", { first_name = DataTypes.STRING, last_name = DataTypes.STRING })
          Product:belongsTo(User)
          local product = Product:build({}, { include = { User } })
          product:set({
            id = 1, title = "Chair",
            user = { id = 1, first_name = "Mick", last_name = "Hansen" },
          }, { raw = true })
          assert.is_false(is_instance_of(product:get("user", { plain = true }), User))
          assert.is_false(is_instance_of(product:get({ plain = true }).user, User))
        end)
      end)

      describe("clone", function()
        it("should copy the values", function()
          local Product = db:define("product", { title = DataTypes.STRING })
          local product = Product:build({ id = 1, title = "Chair" }, { raw = true })
          local values = product:get({ clone = true })
          values.title = nil
          assert.truthy(product:get({ clone = true }).title)
        end)
      end)

      it("can pass parameters to getters", function()
        local Product = db:define("product", { title = DataTypes.STRING }, {
          getterMethods = {
            rating = function(_, _, options)
              if options.apiVersion and options.apiVersion > 1 then return 100 end
              return 5
            end,
          },
        })
        local User = db:define("user", { first_name = DataTypes.STRING, last_name = DataTypes.STRING }, {
          getterMethods = {
            height = function(_, _, options)
              if options.apiVersion and options.apiVersion > 1 then return 185 end -- cm
              return 6.06 -- ft
            end,
          },
        })
        Product:belongsTo(User)
        local product = Product:build({}, { include = { User } })
        product:set{ id = 1, title = "Chair", user = { id = 1, first_name = "Jozef", last_name = "Hartinger" } }
        assert.equal(5, product:get("rating"))
        assert.equal(100, product:get("rating", { apiVersion = 2 }))
        assert.equal(5, product:get({ plain = true }).rating)
        assert.equal(6.06, product:get({ plain = true }).user.height)
        assert.equal(5, product:get({ plain = true, apiVersion = 1 }).rating)
        assert.equal(6.06, product:get({ plain = true, apiVersion = 1 }).user.height)
        assert.equal(100, product:get({ plain = true, apiVersion = 2 }).rating)
        assert.equal(185, product:get({ plain = true, apiVersion = 2 }).user.height)
        assert.equal(185, product:get("user"):get("height", { apiVersion = 2 }))
      end)
    end)

    describe("changed", function()
      it("should return false if object was built from database", function()
        local User = db:define("User", { name = { type = DataTypes.STRING } })
        User:sync()
        local user0 = User:create{ name = "Jan Meier" }
        assert.is_false(user0:changed("name"))
        assert.is_falsy(user0:changed())
        local user = User:bulkCreate({ { name = "Jan Meier" } })[1]
        assert.is_false(user:changed("name"))
        assert.is_falsy(user:changed())
      end)

      it("should return true if previous value is different", function()
        local User = db:define("User", { name = { type = DataTypes.STRING } })
        local user = User:build{ name = "Jan Meier" }
        user:set("name", "Mick Hansen")
        assert.is_true(user:changed("name"))
        assert.truthy(user:changed())
      end)

      it("should return false immediately after saving", function()
        local User = db:define("User", { name = { type = DataTypes.STRING } })
        User:sync()
        local user = User:build{ name = "Jan Meier" }
        user:set("name", "Mick Hansen")
        assert.is_true(user:changed("name"))
        assert.truthy(user:changed())
        user:save()
        assert.is_false(user:changed("name"))
        assert.is_falsy(user:changed())
      end)

      it("should be available to a afterUpdate hook", function()
        local User = db:define("User", { name = { type = DataTypes.STRING } })
        local changed
        User:afterUpdate(function(instance) changed = instance:changed() end)
        User:sync({ force = true })
        local user0 = User:create{ name = "Ford Prefect" }
        local user = user0:update{ name = "Arthur Dent" }
        assert.truthy(changed)
        assert.truthy(#changed > 0)
        local has = false
        for _, k in ipairs(changed) do if k == "name" then has = true end end
        assert.is_true(has)
        assert.is_falsy(user:changed())
      end)
    end)

    describe("previous", function()
      it("should return an object with the previous values", function()
        local User = db:define("User", { name = { type = DataTypes.STRING }, title = { type = DataTypes.STRING } })
        local user = User:build{ name = "Jan Meier", title = "Mr" }
        user:set("name", "Mick Hansen")
        user:set("title", "Dr")
        assert.same({ name = "Jan Meier", title = "Mr" }, user:previous())
      end)

      it("should return the previous value", function()
        local User = db:define("User", { name = { type = DataTypes.STRING } })
        local user = User:build{ name = "Jan Meier" }
        user:set("name", "Mick Hansen")
        assert.equal("Jan Meier", user:previous("name"))
        assert.equal("Mick Hansen", user:get("name"))
      end)
    end)
  end)
end)
