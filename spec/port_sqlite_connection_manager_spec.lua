-- Port of Sequelize v6's test/integration/dialects/sqlite/connection-manager.test.js (branch v6).
-- Skipped: none. Translation: the files go under a fresh directory from os.tmpname (Sequelize's
-- beside the test), removed after; the final `PRAGMA journal_mode = DELETE` on the suite's
-- shared database is left out (there is none).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

describe("[SQLITE Specific] Connection Manager (port of connection-manager.test.js)", function()
  local base = os.tmpname()
  os.remove(base)
  local fileName = base .. "_test.sqlite"
  local directoryName = base .. "_test_directory"
  local nestedFileName = directoryName .. "/subdirectory/test.sqlite"
  teardown(function()
    for _, p in ipairs({ fileName, fileName .. "-shm", fileName .. "-wal", nestedFileName,
                         directoryName .. "/subdirectory", directoryName }) do
      os.remove(p)
    end
  end)

  it("close connection and remove journal and wal files", function()
    local sequelize = Sequelize.new{ dialect = "sqlite", storage = fileName, logging = false }
    local User = sequelize:define("User", { username = DataTypes.STRING })
    User:sync({ force = true })
    sequelize:query("PRAGMA journal_mode = WAL")
    User:create({ username = "user1" })
    sequelize:transaction(function(transaction)
      return User:create({ username = "user2" }, { transaction = transaction })
    end)
    assert.is_true(exists(fileName))
    assert.is_true(exists(fileName .. "-shm"), "shm file should exists")
    assert.is_true(exists(fileName .. "-wal"), "wal file should exists")
    -- move wal file content to main database so those files can be removed on connection close
    sequelize:query("PRAGMA wal_checkpoint")
    -- wal, shm files exist after checkpoint
    assert.is_true(exists(fileName .. "-shm"), "shm file should exists")
    assert.is_true(exists(fileName .. "-wal"), "wal file should exists")
    sequelize:close()
    assert.is_true(exists(fileName))
    assert.is_false(exists(fileName .. "-shm"), "shm file exists")
    assert.is_false(exists(fileName .. "-wal"), "wal file exists")
  end)

  it("automatic path provision for `options.storage`", function()
    local sequelize = Sequelize.new{ dialect = "sqlite", storage = nestedFileName, logging = false }
    sequelize:define("User", { username = DataTypes.STRING }):sync({ force = true })
    assert.is_true(exists(nestedFileName))
    sequelize:close()
  end)
end)
