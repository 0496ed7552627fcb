-- Port of Sequelize v6's test/integration/sequelize/log.test.js (branch v6), sqlite dialect.
-- Skipped: none.
-- Translation: sinon's stub of console.log is a stub of the global print, and "default logging
-- options" are `logging = print` (sequelua's default is no logging, README "Decisions that
-- differ"; Sequelize's is console.log, which it treats as print is treated here).
local Sequelize = require("sequelua")

local function spy()
  local s = { calls = {} }
  s.fn = function(...) s.calls[#s.calls + 1] = table.pack(...) end
  return s
end

describe("Sequelize (port of sequelize/log.test.js)", function()
  describe("log", function()
    local stub, real_print, sequelize
    before_each(function()
      stub = spy()
      real_print = print
      _G.print = stub.fn
    end)
    after_each(function()
      _G.print = real_print
      if sequelize then sequelize:close() end
      sequelize = nil
    end)

    describe("with disabled logging", function()
      before_each(function()
        sequelize = Sequelize.new("db", "user", "pw", { dialect = "sqlite", logging = false })
      end)

      it("does not call the log method of the logger", function()
        sequelize:log()
        assert.are.equal(0, #stub.calls)
      end)
    end)

    describe("with default logging options", function()
      before_each(function()
        sequelize = Sequelize.new("db", "user", "pw", { dialect = "sqlite", logging = print })
      end)

      describe("called with no arguments", function()
        it("calls the log method", function()
          sequelize:log()
          assert.are.equal(1, #stub.calls)
        end)

        it("logs an empty string as info event", function()
          sequelize:log("")
          assert.are.equal(1, #stub.calls)
        end)
      end)

      describe("called with one argument", function()
        it("logs the passed string as info event", function()
          sequelize:log("my message")
          assert.are.equal(1, #stub.calls)
          assert.are.same({ n = 1, "my message" }, stub.calls[1])
        end)
      end)

      describe("called with more than two arguments", function()
        it("passes the arguments to the logger", function()
          sequelize:log("error", "my message", 1, { a = 1 })
          assert.are.equal(1, #stub.calls)
          assert.are.same({ n = 4, "error", "my message", 1, { a = 1 } }, stub.calls[1])
        end)
      end)
    end)

    describe("with a custom function for logging", function()
      local custom
      before_each(function()
        custom = spy()
        sequelize = Sequelize.new("db", "user", "pw", { dialect = "sqlite", logging = custom.fn })
      end)

      it("calls the custom logger method", function()
        sequelize:log("om nom")
        assert.are.equal(1, #custom.calls)
      end)

      it("calls the custom logger method with options", function()
        local message = "om nom"
        local timeTaken = 5
        local options = { correlationId = "ABC001" }
        sequelize:log(message, timeTaken, options)
        assert.are.equal(1, #custom.calls)
        assert.are.equal(message, custom.calls[1][1])
        assert.are.equal(timeTaken, custom.calls[1][2])
        assert.are.equal(options, custom.calls[1][3])
      end)
    end)
  end)
end)
