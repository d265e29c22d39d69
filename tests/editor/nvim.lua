-- Drives `roadlint server` from a real Neovim (0.7 and later), started by the
-- README's setup ($RL_SNIPPET): open a quarter file with a capacity breach,
-- wait for the diagnostic, fix the breach in the buffer (unsaved), wait for
-- it to go. Writes what it saw to $RL_OUT and exits 0 only when every step
-- passed.
local root, snippet, out = vim.env.RL_ROOT, vim.env.RL_SNIPPET, vim.env.RL_OUT
local lines = {}
local function say(s) table.insert(lines, s) end
local function finish(ok)
  local f = io.open(out, 'w')
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
  vim.cmd(ok and 'qall!' or 'cquit! 3')
end

vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/roadmap/2026-Q1.toml'))
local buf = vim.api.nvim_get_current_buf()
-- The README's Neovim 0.7 setup, as ftplugin/toml.lua runs it for this buffer
-- (`roadlint` on PATH is the binary under test).
local ok, err = pcall(dofile, snippet)
if not ok then
  say('the README setup failed: ' .. tostring(err))
  return finish(false)
end
local client = _G.roadlint_clients and _G.roadlint_clients[root]
if not client then
  say('the README setup started no client for ' .. root)
  return finish(false)
end
say('nvim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor))

local function code(d)
  if d.code then return d.code end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end
local function breach()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'roadlint' and code(d) == 'capacity' then return d end
  end
end

if not vim.wait(15000, function() return breach() ~= nil end, 20) then
  say('no capacity diagnostic')
  return finish(false)
end
local d = breach()
say(string.format('breach line=%d col=%d severity=%d', d.lnum + 1, d.col, d.severity))

-- Fix it in the buffer, without saving.
vim.api.nvim_buf_set_lines(buf, 1, 2, false, { 'capacity = 20' })
if not vim.wait(15000, function() return breach() == nil end, 20) then
  say('the breach stayed after the fix')
  return finish(false)
end
say('fixed')
vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 20)
finish(true)
