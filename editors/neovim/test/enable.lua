-- Headless Neovim 0.11+ test: the configuration a user writes (editors/neovim/examples/init-0.11.lua:
-- vim.lsp.enable with lsp/amplify_lsp.lua) against the real server, through the real client paths
-- (keys typed with feedkeys, built-in completion, the diagnostic handlers, lsp.log).
--
--   nvim --headless -u NONE -i NONE -n -c 'luafile editors/neovim/test/enable.lua'
--
-- Same environment and report format as run.lua (see harness.lua). Every wait is bounded.

local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/harness.lua')
local out, check, expect = H.out, H.check, H.expect
local uv = vim.uv or vim.loop

-- The latency allowed between an edit in one file and the other file's diagnostics following it.
local REFRESH_MS = 3000

local function lines_of(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

local function main()
  H.info('nvim ' .. H.version() .. ' (vim.lsp.enable)')
  H.info('server ' .. H.bin)
  H.print_capabilities()
  if vim.fn.has('nvim-0.11') ~= 1 then
    out('skip vim.lsp.enable tests -- Neovim ' .. H.version() .. ' has no vim.lsp.enable (0.11+)')
    H.counts.skipped = H.counts.skipped + 1
    return
  end
  if vim.fn.executable(H.bin) ~= 1 then
    out('not ok server binary -- ' .. H.bin .. ' is not executable (cargo build -p amplify-lsp, or set AMPLIFY_LSP_BIN)')
    H.counts.failed = H.counts.failed + 1
    return
  end

  vim.o.swapfile = false
  vim.o.showmode = false
  vim.o.shortmess = vim.o.shortmess .. 'cF'
  vim.cmd('filetype on')
  -- The log level a user would set to look at what the server says (normal lines are INFO).
  vim.lsp.set_log_level(os.getenv('AMPLIFY_LSP_NVIM_LOG') or 'info')
  local log_mark = H.log_mark()
  H.put_server_on_path()
  vim.opt.runtimepath:prepend(H.plugin_dir)

  local project = H.scratch_fixture('project')
  local groups = H.scratch_fixture('groups')

  check('0.11 shows no diagnostic text by default (why the example config turns virtual_text on)', nil, function()
    local vt = vim.diagnostic.config().virtual_text
    expect(vt == false or vt == nil, 'virtual_text default is ' .. vim.inspect(vt) .. ': update the README')
  end)

  -- The README's configuration, as a user has it in init.lua.
  dofile(H.plugin_dir .. '/examples/init-0.11.lua')

  local storage_buf
  check('attaches to amplify/ files of an Amplify project, with the project as root', nil, function()
    storage_buf = H.open(project .. '/amplify/storage/resource.ts')
    local client = H.wait_client(storage_buf)
    expect(client, 'no amplify_lsp client on amplify/storage/resource.ts within ' .. H.timeout .. ' ms')
    expect(client.root_dir == project, 'root_dir ' .. tostring(client.root_dir) .. ', want ' .. project)
    -- cmd is lsp/amplify_lsp.lua's function (it picks the server per root; the check on the
    -- project-local install below sees the arguments it passes: --stdio).
    expect(type(client.config.cmd) == 'function', 'cmd ' .. vim.inspect(client.config.cmd))
    local other = H.open(project .. '/amplify/functions/say-hello/handler.ts')
    local c2 = H.wait_client(other)
    expect(c2 and c2.id == client.id, 'a second file of the project did not reuse the client')
  end)

  check('attaches to frontend files of the project (.tsx, .js); the server sees them as frontend', nil, function()
    local root = H.frontend_fixture('project-frontend')
    local first
    for _, case in ipairs({ { 'src/App.tsx', 'typescriptreact' }, { 'src/main.js', 'javascript' } }) do
      local buf = H.open(root .. '/' .. case[1])
      expect(vim.bo[buf].filetype == case[2], case[1] .. ': filetype ' .. vim.bo[buf].filetype)
      if not first then
        -- What the negative checks below rely on: once H.settle() returns, the client is there.
        H.settle()
        expect(#H.clients_of(buf, true) == 1, case[1] .. ': no client right after H.settle()')
        first = buf
      end
      local client = H.wait_client(buf)
      expect(client, 'no amplify_lsp client on ' .. case[1] .. ' within ' .. H.timeout .. ' ms')
      expect(client.root_dir == root, case[1] .. ': root_dir ' .. tostring(client.root_dir) .. ', want ' .. root)
      local doc, err = H.debug_document(buf)
      expect(doc, case[1] .. ': amplify/debugDocument failed: ' .. tostring(err))
      expect(doc.frontend == true, case[1] .. ': the server says frontend = ' .. tostring(doc.frontend))
    end
  end)

  check('does not attach outside an Amplify project nor under node_modules', nil, function()
    local root, plain = H.frontend_fixture('project-frontend-2')
    H.write(H.tmp .. '/plain/amplify/lib/util.ts', { 'export const x = 1;' }) -- amplify/ but no backend
    H.write(H.tmp .. '/plain/package.json', { '{}' })
    H.write(H.tmp .. '/loose/index.ts', { 'export const y = 2;' })
    for _, file in ipairs({
      H.tmp .. '/plain/amplify/lib/util.ts',
      H.tmp .. '/loose/index.ts',
      plain .. '/src/index.ts', -- imports aws-amplify, but no amplify/backend.ts above it
      root .. '/node_modules/x/index.js',
    }) do
      local buf = H.open(file)
      H.settle()
      expect(#H.clients_of(buf, true) == 0, 'amplify_lsp attached to ' .. file)
    end
  end)

  check('diagnostic text is shown (virtual_text from the example config)', 'diagnostics', function()
    vim.cmd('buffer ' .. storage_buf)
    local ok = H.wait_for(H.timeout, function()
      return #H.diagnostics(storage_buf, 'storage/path-wildcard') > 0
    end)
    expect(ok, 'no storage/path-wildcard diagnostic; got ' .. vim.inspect(vim.diagnostic.get(storage_buf)))
    local d = H.diagnostics(storage_buf, 'storage/path-wildcard')[1]
    local shown
    H.wait_for(2000, function()
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(storage_buf, -1, 0, -1, { details = true })) do
        for _, chunk in ipairs(m[4].virt_text or {}) do
          if chunk[1]:find(d.message:sub(1, 20), 1, true) then
            shown = m[2]
          end
        end
      end
      return shown ~= nil
    end)
    expect(shown == d.lnum, 'no virtual text with the message on line ' .. d.lnum)
  end)

  -- Cross-file: storage grants ADMIN, auth defines only EDITORS.
  local gstorage, gauth
  local function wait_unknown_group(present, ms)
    return H.wait_for(ms, function()
      return (#H.diagnostics(gstorage, 'storage/unknown-group') > 0) == present
    end)
  end
  local function set_groups(list)
    local l = H.find_line(gauth, 'groups:')
    local line = vim.api.nvim_buf_get_lines(gauth, l, l + 1, false)[1]
    vim.api.nvim_buf_set_lines(gauth, l, l + 1, false, { (line:gsub('%[.*%]', list)) })
  end
  local function latency(ok, ms)
    if ok then
      return ms .. ' ms'
    end
    return 'not within ' .. ms .. ' ms'
  end

  check('cross-file: adding the group in auth (unsaved) clears storage/unknown-group within 3 s', 'diagnostics', function()
    gstorage = H.open(groups .. '/amplify/storage/resource.ts')
    expect(H.wait_client(gstorage), 'no client on the groups project')
    local ok = wait_unknown_group(true, H.timeout)
    expect(ok, 'no storage/unknown-group on the ADMIN grant; got ' .. vim.inspect(vim.diagnostic.get(gstorage)))
    -- The storage file stays visible in a split, as a user would watch it.
    vim.cmd('split ' .. vim.fn.fnameescape(groups .. '/amplify/auth/resource.ts'))
    gauth = vim.api.nvim_get_current_buf()
    expect(H.wait_client(gauth), 'no client on auth/resource.ts')
    vim.wait(200)
    set_groups("['EDITORS', 'ADMIN']")
    local cleared, ms = wait_unknown_group(false, H.timeout)
    H.info('refresh latency (auth edited, storage visible): ' .. latency(cleared, ms))
    expect(cleared and ms <= REFRESH_MS, 'storage/unknown-group ' .. (cleared and ('cleared after ' .. ms .. ' ms') or 'never cleared') .. ' (limit ' .. REFRESH_MS .. ' ms)')
    -- And back: removing the group again brings the diagnostic back.
    set_groups("['EDITORS']")
    local back, ms2 = wait_unknown_group(true, H.timeout)
    H.info('refresh latency (group removed again): ' .. latency(back, ms2))
    expect(back and ms2 <= REFRESH_MS, 'storage/unknown-group ' .. (back and ('came back after ' .. ms2 .. ' ms') or 'did not come back'))
  end)

  check('cross-file: adding the group and :w clears storage/unknown-group (storage hidden) within 3 s', 'diagnostics', function()
    expect(gauth and gstorage, 'previous check did not open the files')
    vim.cmd('only')
    vim.cmd('buffer ' .. gauth)
    local present = wait_unknown_group(true, H.timeout)
    expect(present, 'storage/unknown-group is not there to begin with')
    set_groups("['EDITORS', 'ADMIN']")
    vim.cmd('silent write')
    local cleared, ms = wait_unknown_group(false, H.timeout)
    H.info('refresh latency (auth edited and written, storage hidden): ' .. latency(cleared, ms))
    expect(cleared and ms <= REFRESH_MS, 'storage/unknown-group ' .. (cleared and ('cleared after ' .. ms .. ' ms') or 'never cleared') .. ' (limit ' .. REFRESH_MS .. ' ms)')
    vim.wait(500)
    expect(#H.diagnostics(gstorage, 'storage/unknown-group') == 0, 'storage/unknown-group came back after the write')
    vim.cmd('buffer ' .. gstorage)
    vim.wait(300)
    expect(#H.diagnostics(gstorage, 'storage/unknown-group') == 0, 'storage/unknown-group came back when the storage buffer was shown')
    -- Restore the file for the next checks.
    vim.cmd('buffer ' .. gauth)
    set_groups("['EDITORS']")
    vim.cmd('silent write')
    expect(wait_unknown_group(true, H.timeout), 'storage/unknown-group did not come back after removing ADMIN and writing')
  end)

  check(':edit! then another file: the first buffer keeps its diagnostics', 'diagnostics', function()
    vim.cmd('buffer ' .. gstorage)
    expect(wait_unknown_group(true, H.timeout), 'no storage/unknown-group before :edit!')
    -- As typed in one go (`:e! | e auth/resource.ts`): the buffer is reloaded, then hidden at once.
    vim.cmd('edit! | buffer ' .. gauth)
    vim.wait(1000)
    vim.cmd('buffer ' .. gstorage)
    local ok, ms = wait_unknown_group(true, REFRESH_MS)
    expect(ok, ':edit! | buffer auth, then back: ' .. #H.diagnostics(gstorage) .. ' diagnostics after ' .. ms .. ' ms (want storage/unknown-group)')
    -- Slower: :edit!, a pause, another file, back.
    vim.cmd('edit!')
    vim.wait(500)
    vim.cmd('buffer ' .. gauth)
    vim.wait(500)
    vim.cmd('buffer ' .. gstorage)
    ok, ms = wait_unknown_group(true, REFRESH_MS)
    expect(ok, ':edit!, pause, another file, back: ' .. #H.diagnostics(gstorage) .. ' diagnostics after ' .. ms .. ' ms')
  end)

  -- Completion as typed: the blank line inside defineFunction({ }), a prefix, the completion keys,
  -- then CTRL-Y if a menu is open (with a single match Neovim inserts it at once and closes the menu).
  local function complete_line(buf, typed, trigger)
    local row = H.find_line(buf, 'defineFunction({') + 2 -- the blank line inside the object
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { '  ' })
    vim.api.nvim_win_set_cursor(0, { row + 1, 2 })
    local menu
    _G.__amplify_wait_menu = function()
      vim.wait(H.timeout, function()
        return #vim.fn.complete_info({ 'items' }).items > 0
      end, 20)
      menu = vim.fn.complete_info({ 'items', 'selected', 'pum_visible' })
    end
    vim.keymap.set('i', '<Plug>(amplify-accept)', function()
      return vim.fn.pumvisible() == 1 and '<C-y>' or ''
    end, { expr = true, buffer = buf })
    H.feed('A' .. typed .. trigger .. '<Cmd>lua __amplify_wait_menu()<CR><Plug>(amplify-accept)<Cmd>lua vim.wait(300)<CR><Esc>')
    local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
    local labels = {}
    for _, it in ipairs(menu and menu.items or {}) do
      table.insert(labels, it.abbr ~= '' and it.abbr or it.word)
    end
    -- Put the blank line back (no :edit!, which re-attaches the client).
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { '  ' })
    return line, labels
  end

  local fn_buf
  check('completion: typing mem, CTRL-X CTRL-O and accepting the first item gives memoryMB: ', 'completion', function()
    fn_buf = H.open(project .. '/amplify/functions/say-hello/resource.ts')
    expect(H.wait_client(fn_buf), 'no client on the function resource')
    local line, labels = complete_line(fn_buf, 'mem', '<C-x><C-o>')
    H.info('0.11 CTRL-X CTRL-O menu after "mem": ' .. table.concat(labels, ', '))
    H.info('0.11 line after accepting: ' .. vim.inspect(line))
    expect(#labels > 0, 'no completion menu after "mem"')
    expect(labels[1]:find('^memoryMB'), 'first item is ' .. labels[1] .. ', want memoryMB; menu: ' .. table.concat(labels, ', '))
    for _, w in ipairs(labels) do
      expect(w:lower():find('^mem'), 'the menu after "mem" also lists ' .. w .. ' (the typed prefix is not used to filter)')
    end
    expect(line == '  memoryMB: ', 'line after accepting: ' .. vim.inspect(line) .. ', want "  memoryMB: "')
  end)

  check('completion: vim.lsp.completion.get() after "time" gives timeoutSeconds: ', 'completion', function()
    expect(fn_buf, 'previous check did not open the function resource')
    local line, labels = complete_line(fn_buf, 'time', '<Cmd>lua vim.lsp.completion.get()<CR>')
    H.info('0.11 vim.lsp.completion menu after "time": ' .. table.concat(labels, ', ') .. '; line ' .. vim.inspect(line))
    expect(labels[1] and labels[1]:find('^timeoutSeconds'), 'first item ' .. tostring(labels[1]))
    expect(line == '  timeoutSeconds: ', 'line after accepting: ' .. vim.inspect(line) .. ', want "  timeoutSeconds: "')
  end)

  -- The usual way to write a validator: an arrow whose body is an expression, not a block.
  check('completion: .validate(v => v.) on an integer field offers the numeric validators only', 'completion', function()
    local buf = H.open(project .. '/amplify/data/resource.ts')
    expect(H.wait_client(buf), 'no client on data/resource.ts')
    local row = H.find_line(buf, 'body: a.string(),')
    local original = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { '      count: a.integer().validate((v) => v' })
    vim.api.nvim_win_set_cursor(0, { row + 1, 0 })
    local menu
    _G.__amplify_wait_menu = function()
      vim.wait(H.timeout, function()
        return #vim.fn.complete_info({ 'items' }).items > 0
      end, 20)
      menu = vim.fn.complete_info({ 'items' })
    end
    H.feed('A.<C-x><C-o><Cmd>lua __amplify_wait_menu()<CR><C-e><Esc>')
    local labels = {}
    for _, it in ipairs(menu and menu.items or {}) do
      table.insert(labels, it.abbr ~= '' and it.abbr or it.word)
    end
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, original)
    H.info('0.11 menu after "validate((v) => v.": ' .. table.concat(labels, ', '))
    local has = {}
    for _, l in ipairs(labels) do
      has[l:match('^[%w]+')] = true
    end
    for _, want in ipairs({ 'gt', 'lt', 'positive', 'negative' }) do
      expect(has[want], 'no ' .. want .. ' in the menu: ' .. table.concat(labels, ', '))
    end
    for _, unwanted in ipairs({ 'minLength', 'matches', 'startsWith' }) do
      expect(not has[unwanted], unwanted .. ' (a string validator) offered for an integer: ' .. table.concat(labels, ', '))
    end
  end)

  check('hover: K on defineAuth shows the server text', 'hover', function()
    local buf = H.open(project .. '/amplify/auth/resource.ts')
    expect(H.wait_client(buf), 'no client on auth/resource.ts')
    local l, c = H.find_line(buf, 'defineAuth({')
    vim.api.nvim_win_set_cursor(0, { l + 1, c + 2 })
    H.feed('K')
    local text
    H.wait_for(H.timeout, function()
      for _, w in ipairs(H.floats()) do
        text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
        return true
      end
      return false
    end)
    expect(text, 'K opened no hover window (is K mapped to vim.lsp.buf.hover?)')
    expect(text:find('defineAuth', 1, true), 'hover does not name defineAuth:\n' .. text)
    expect(text:find('docs.amplify.aws', 1, true), 'hover has no docs link:\n' .. text)
  end)

  check('code action: gra, "Switch to owner-based authorization (user pool)" changes the buffer', 'code-action', function()
    local buf = H.open(project .. '/amplify/data/resource.ts')
    expect(H.wait_client(buf), 'no client on data/resource.ts')
    local before = table.concat(lines_of(buf), '\n')
    local l, c = H.find_line(buf, 'allow.publicApiKey()')
    vim.api.nvim_win_set_cursor(0, { l + 1, c + 7 })
    local ok, err, offered, restore = H.apply_action('gra', 'owner-based authorization')
    local changed = H.wait_for(H.timeout, function()
      return table.concat(lines_of(buf), '\n') ~= before
    end)
    restore()
    expect(ok, 'gra failed: ' .. tostring(err))
    expect(#offered > 0, 'gra offered no code action')
    expect(changed, 'the buffer did not change; offered: ' .. table.concat(offered, ' | '))
    local after = table.concat(lines_of(buf), '\n')
    expect(after:find('allow.owner()', 1, true), 'no allow.owner() after the action:\n' .. after)
    expect(not after:find('publicApiKey', 1, true), 'publicApiKey still there:\n' .. after)
  end)

  check("the project's node_modules/.bin/amplify-lsp is started before the one on PATH", nil, function()
    local local_project = H.scratch_fixture('project', 'project-local-install')
    local _, starts = H.fake_local_install(local_project)
    local buf = H.open(local_project .. '/amplify/storage/resource.ts')
    local client = H.wait_client(buf)
    expect(client, 'no client in the project with node_modules/.bin/amplify-lsp')
    expect(client.root_dir == local_project, 'root_dir ' .. tostring(client.root_dir))
    local lines = vim.fn.filereadable(starts) == 1 and vim.fn.readfile(starts) or {}
    expect(#lines == 1 and lines[1] == '--stdio', 'the project-local script ran ' .. #lines .. ' times: ' .. vim.inspect(lines))
    -- The project from the first checks (no node_modules) still has its own client, from PATH.
    local other = H.wait_client(H.open(project .. '/amplify/storage/resource.ts'))
    expect(other and other.id ~= client.id, 'the two projects share a client')
  end)

  check('lsp.log: no server line logged as [ERROR]; server lines come through window/logMessage', nil, function()
    vim.wait(300)
    local errors, via_handler = {}, 0
    for _, line in ipairs(H.log_since(log_mark)) do
      if line:find('^%[ERROR%]') then
        table.insert(errors, line)
      end
      if line:find('handlers.lua', 1, true) then
        via_handler = via_handler + 1
      end
    end
    expect(#errors == 0, #errors .. ' [ERROR] lines in ' .. vim.lsp.get_log_path() .. ':\n' .. table.concat(errors, '\n', 1, math.min(#errors, 5)))
    expect(via_handler > 0, 'no line from the window/logMessage handler at log level INFO')
  end)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  out('not ok test script -- ' .. tostring(err):gsub('\n', '\n    '))
  H.counts.failed = H.counts.failed + 1
end
H.finish()
