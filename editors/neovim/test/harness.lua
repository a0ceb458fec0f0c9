-- Shared helpers of the headless Neovim tests (run.lua for 0.7+, enable.lua for 0.11+).
-- Only APIs that exist since Neovim 0.7.
--
-- Report protocol (read by neovim.test.mjs): one line per check, "ok NAME", "not ok NAME -- why"
-- (continuation lines indented by 4 spaces), "skip NAME -- why"; "# ..." lines are information.

local H = {}

local uv = vim.uv or vim.loop

function H.out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local script = debug.getinfo(1, 'S').source:sub(2)
H.here = vim.fn.fnamemodify(script, ':p:h') -- editors/neovim/test
H.plugin_dir = vim.fn.fnamemodify(H.here, ':h') -- editors/neovim
H.editors = vim.fn.fnamemodify(H.plugin_dir, ':h')
H.repo = vim.fn.fnamemodify(H.editors, ':h')
H.timeout = tonumber(os.getenv('AMPLIFY_LSP_TEST_TIMEOUT_MS') or '') or 15000

H.bin = os.getenv('AMPLIFY_LSP_BIN')
if H.bin == nil or H.bin == '' then
  H.bin = H.repo .. '/target/debug/amplify-lsp'
elseif H.bin:sub(1, 1) ~= '/' then
  H.bin = H.repo .. '/' .. H.bin
end

function H.version()
  local v = vim.version()
  return string.format('%d.%d.%d', v.major, v.minor, v.patch)
end

-- Features (editors/features.txt or AMPLIFY_LSP_FEATURES) ------------------------------------
local features, all_features = {}, false
do
  local env = os.getenv('AMPLIFY_LSP_FEATURES')
  if env and vim.trim(env) ~= '' then
    env = vim.trim(env)
    if env == 'all' then
      all_features = true
    elseif env ~= 'none' then
      for _, f in ipairs(vim.split(env, ',', { plain = true })) do
        if vim.trim(f) ~= '' then
          features[vim.trim(f)] = true
        end
      end
    end
  else
    local f = io.open(H.editors .. '/features.txt', 'r')
    if f then
      for line in f:lines() do
        local name = vim.trim((line:gsub('#.*$', '')))
        if name ~= '' then
          features[name] = true
        end
      end
      f:close()
    end
  end
end

H.counts = { ok = 0, failed = 0, skipped = 0 }

--- Runs one check. `feature` (or nil) names the features.txt switch it depends on.
function H.check(name, feature, fn)
  if feature and not all_features and not features[feature] then
    H.counts.skipped = H.counts.skipped + 1
    H.out('skip ' .. name .. ' -- feature "' .. feature .. '" is not enabled (editors/features.txt or AMPLIFY_LSP_FEATURES)')
    return
  end
  local ok, err = xpcall(fn, function(e)
    return tostring(e)
  end)
  -- Leave insert / select mode and close floating windows a failed check may have left open.
  pcall(vim.cmd, 'stopinsert')
  H.close_floats()
  if ok then
    H.counts.ok = H.counts.ok + 1
    H.out('ok ' .. name)
  else
    H.counts.failed = H.counts.failed + 1
    H.out('not ok ' .. name .. ' -- ' .. tostring(err):gsub('\n', '\n    '))
  end
end

function H.expect(cond, msg)
  if not cond then
    error(msg or 'expectation failed', 2)
  end
end

function H.info(s)
  H.out('# ' .. s)
end

-- Files --------------------------------------------------------------------------------------

H.tmp = uv.fs_realpath(vim.fn.fnamemodify(vim.fn.tempname(), ':h')) .. '/amplify-lsp-nvim-' .. uv.os_getpid()
vim.fn.mkdir(H.tmp, 'p')

--- Copies editors/fixtures/<name> to a scratch folder (the tests edit and save files there).
function H.scratch_fixture(name, as)
  local dst = H.tmp .. '/' .. (as or name)
  vim.fn.delete(dst, 'rf')
  local res = vim.fn.system({ 'cp', '-R', H.editors .. '/fixtures/' .. name, dst })
  H.expect(vim.v.shell_error == 0, 'cp failed: ' .. res)
  return uv.fs_realpath(dst)
end

function H.write(path, lines)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  vim.fn.writefile(lines, path)
end

--- Puts a folder holding `amplify-lsp` (a link to the binary under test) first on PATH, so the
--- example configurations run unchanged with their default `cmd = { 'amplify-lsp', '--stdio' }`.
function H.put_server_on_path()
  local dir = H.tmp .. '/bin'
  vim.fn.mkdir(dir, 'p')
  pcall(uv.fs_unlink, dir .. '/amplify-lsp')
  assert(uv.fs_symlink(H.bin, dir .. '/amplify-lsp'))
  vim.env.PATH = dir .. ':' .. (vim.env.PATH or '')
end

--- Makes `dir/node_modules/.bin/amplify-lsp` what `npm install --save-dev amplify-lsp` would:
--- here a script that notes each start in `dir/node_modules/.bin/starts` and runs the binary
--- under test. Returns the script's path and the notes file's path.
function H.fake_local_install(dir)
  local script = dir .. '/node_modules/.bin/amplify-lsp'
  local starts = dir .. '/node_modules/.bin/starts'
  H.write(script, {
    '#!/bin/sh',
    'echo "$*" >> ' .. vim.fn.shellescape(starts),
    'exec ' .. vim.fn.shellescape(H.bin) .. ' "$@"',
  })
  vim.fn.system({ 'chmod', '+x', script })
  return script, starts
end

function H.cleanup()
  vim.fn.delete(H.tmp, 'rf')
end

-- Buffers and clients --------------------------------------------------------------------------

function H.open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

--- Prints what this Neovim declares (the server picks pull or push diagnostics from it).
function H.print_capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  local td, ws = caps.textDocument or {}, caps.workspace or {}
  local item = ((td.completion or {}).completionItem or {})
  H.out(string.format(
    '# client capabilities: pull diagnostics %s, workspace.diagnostics.refreshSupport %s, snippetSupport %s, insertReplaceSupport %s',
    tostring(td.diagnostic ~= nil),
    tostring((ws.diagnostics or {}).refreshSupport == true),
    tostring(item.snippetSupport == true),
    tostring(item.insertReplaceSupport == true)
  ))
end

function H.find_line(bufnr, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = l:find(needle, 1, true)
    if col then
      return i - 1, col - 1 -- 0-based line and byte column
    end
  end
  error('"' .. needle .. '" not in buffer ' .. vim.api.nvim_buf_get_name(bufnr), 2)
end

--- The amplify_lsp clients attached to a buffer. With `starting`, also those still initializing:
--- 0.11's get_clients leaves them out unless asked (`_uninitialized`), and a negative check that
--- missed a client still starting would pass wrongly.
function H.clients_of(bufnr, starting)
  local list = {}
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ bufnr = bufnr, _uninitialized = starting or nil })
  elseif starting then
    -- Before 0.10 buf_get_clients lists only initialized clients; ids count up from 1, and
    -- get_client_by_id also returns a client still starting.
    for id = 1, 200 do
      local c = vim.lsp.get_client_by_id(id)
      if c and vim.lsp.buf_is_attached(bufnr, id) then
        table.insert(list, c)
      end
    end
  else
    for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      table.insert(list, c)
    end
  end
  local ours = {}
  for _, c in ipairs(list) do
    if c.name == 'amplify_lsp' then
      table.insert(ours, c)
    end
  end
  return ours
end

function H.all_clients()
  return vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
end

function H.wait_client(bufnr, ms)
  local client
  vim.wait(ms or H.timeout, function()
    client = H.clients_of(bufnr)[1]
    return client ~= nil and client.initialized ~= false and client.server_capabilities ~= nil
  end, 20)
  return client
end

--- Lets everything already scheduled run (0.11's vim.lsp.enable starts a client from a scheduled
--- callback after the FileType autocmd): after this, a client that was going to attach to a
--- buffer just opened has attached. What the negative attach checks wait for, instead of a sleep.
function H.settle()
  local done = false
  vim.schedule(function()
    done = true
  end)
  vim.wait(H.timeout, function()
    return done
  end, 10)
end

--- A scratch Amplify project (a copy of editors/fixtures/project) with frontend files that use
--- aws-amplify: src/App.tsx, src/main.js, and a dependency's node_modules/x/index.js, plus a plain
--- folder (no amplify/) with a .ts file that also imports aws-amplify. Returns the project root
--- and the plain folder.
function H.frontend_fixture(as)
  local root = H.scratch_fixture('project', as)
  H.write(root .. '/src/App.tsx', {
    "import { generateClient } from 'aws-amplify/data';",
    "import type { Schema } from '../amplify/data/resource';",
    'const client = generateClient<Schema>();',
    'export const App = () => <main>{String(client)}</main>;',
  })
  H.write(root .. '/src/main.js', { "import { Amplify } from 'aws-amplify';", 'Amplify.configure({});' })
  H.write(root .. '/node_modules/x/index.js', { "module.exports = require('aws-amplify');" })
  local plain = H.tmp .. '/' .. as .. '-plain'
  H.write(plain .. '/package.json', { '{}' })
  H.write(plain .. '/src/index.ts', { "import { Amplify } from 'aws-amplify';", 'Amplify.configure({});' })
  return root, uv.fs_realpath(plain)
end

--- The server's view of an open buffer (`amplify/debugDocument`), or nil and an error.
function H.debug_document(bufnr)
  local responses, err =
    vim.lsp.buf_request_sync(bufnr, 'amplify/debugDocument', { uri = vim.uri_from_bufnr(bufnr) }, H.timeout)
  if not responses then
    return nil, tostring(err)
  end
  for _, r in pairs(responses) do
    if r.err then
      return nil, vim.inspect(r.err)
    end
    return r.result
  end
  return nil, 'no response'
end

function H.diagnostics(bufnr, code)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'amplify' and (code == nil or d.code == code) then
      table.insert(list, d)
    end
  end
  return list
end

--- Polls `cond` every 20 ms for at most `ms`; returns (true, elapsed ms) or (false, ms).
function H.wait_for(ms, cond)
  local t0 = uv.hrtime()
  local ok = vim.wait(ms, cond, 20)
  return ok, math.floor((uv.hrtime() - t0) / 1e6)
end

function H.floats()
  local list = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      table.insert(list, w)
    end
  end
  return list
end

function H.close_floats()
  for _, w in ipairs(H.floats()) do
    pcall(vim.api.nvim_win_close, w, true)
  end
end

--- Types keys as a user would (mappings apply), and runs them until the typeahead is empty.
function H.feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'mtx', false)
end

-- lsp.log --------------------------------------------------------------------------------------

--- The log's size now, to read only what is appended afterwards.
--- Types `keys` (a code action mapping such as `gra`) and picks the action whose title contains `wanted`
--- from the menu (vim.ui.select stands for the user choosing it). Returns whether typing succeeded, its
--- error, and the titles offered.
function H.apply_action(keys, wanted)
  local offered = {}
  local orig = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local action = item.action or item[2] or item
      local title = action.title or opts.format_item(item)
      table.insert(offered, title)
      if title:find(wanted, 1, true) then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  local ok, err = pcall(H.feed, keys)
  return ok, err, offered, function()
    vim.ui.select = orig
  end
end

function H.log_mark()
  local st = uv.fs_stat(vim.lsp.get_log_path())
  return st and st.size or 0
end

function H.log_since(mark)
  local f = io.open(vim.lsp.get_log_path(), 'r')
  if not f then
    return {}
  end
  f:seek('set', mark)
  local lines = {}
  for line in f:lines() do
    table.insert(lines, line)
  end
  f:close()
  return lines
end

--- Stops every client and leaves with the right status.
function H.finish()
  H.out(string.format('# %d passed, %d failed, %d skipped', H.counts.ok, H.counts.failed, H.counts.skipped))
  for _, c in ipairs(H.all_clients()) do
    if vim.fn.has('nvim-0.11') == 1 then
      c:stop()
    else
      c.stop()
    end
  end
  vim.wait(2000, function()
    return #H.all_clients() == 0
  end, 50)
  H.cleanup()
  vim.cmd(H.counts.failed > 0 and 'cquit 1' or 'qall!')
end

return H
