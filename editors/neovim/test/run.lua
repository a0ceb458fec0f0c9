-- Headless Neovim test of the amplify-lsp client configuration against the real server.
--
--   nvim --headless -u NONE -i NONE -n -c 'luafile editors/neovim/test/run.lua'
--
-- Environment: AMPLIFY_LSP_BIN (default <repo>/target/debug/amplify-lsp), AMPLIFY_LSP_FEATURES
-- (default: editors/features.txt), AMPLIFY_LSP_TEST_TIMEOUT_MS (default 15000).
-- Prints one line per check ("ok NAME", "not ok NAME -- why", "skip NAME -- why") and exits with
-- status 0 when nothing failed, 1 otherwise (2 if the script itself broke).
-- Works with Neovim 0.7 (Debian 12) and newer.

-- Helpers shared with enable.lua (report lines, features, files, keys, floating windows, lsp.log).
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/harness.lua')

local out, check, expect, counts = H.out, H.check, H.expect, H.counts
local plugin_dir, editors = H.plugin_dir, H.editors
local fixture = vim.loop.fs_realpath(editors .. '/fixtures/project')
local timeout = H.timeout
local bin = H.bin

local clients_of = H.clients_of

local function open(rel)
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/' .. rel))
  return vim.api.nvim_get_current_buf()
end

local find_line = H.find_line

local function wait_client(bufnr)
  local client
  vim.wait(timeout, function()
    local cs = clients_of(bufnr)
    client = cs[1]
    return client ~= nil and client.initialized ~= false and client.server_capabilities ~= nil
  end, 50)
  return client
end

local function our_diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'amplify' then
      table.insert(list, d)
    end
  end
  return list
end

local function has_code(diags, code)
  for _, d in ipairs(diags) do
    if d.code == code then
      return d
    end
  end
  return nil
end

-- The completion menu: `<Cmd>lua __amplify_wait_menu()<CR>` in insert mode waits until it shows, then
-- menu_words() gives its items as shown.
local menu
_G.__amplify_wait_menu = function()
  vim.wait(timeout, function()
    return #vim.fn.complete_info({ 'items' }).items > 0
  end, 20)
  menu = vim.fn.complete_info({ 'items' })
end

local function menu_words()
  local words = {}
  for _, it in ipairs(menu and menu.items or {}) do
    table.insert(words, it.abbr ~= '' and it.abbr or it.word)
  end
  menu = nil
  return words
end

local function completion_labels(bufnr, line, character)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = character },
    context = { triggerKind = 1 },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, timeout)
  expect(responses, 'completion request failed: ' .. tostring(err))
  local labels = {}
  for _, r in pairs(responses) do
    expect(r.err == nil, 'completion error: ' .. vim.inspect(r.err))
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do
      labels[(item.label:gsub('[?:%s].*$', ''))] = true
    end
  end
  return labels
end

local function main()
  out('# nvim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch))
  out('# server ' .. bin)
  H.print_capabilities()
  vim.o.hidden = true
  vim.o.swapfile = false
  vim.o.showmode = false
  vim.o.shortmess = vim.o.shortmess .. 'c'
  vim.cmd('filetype on')
  -- The log level a user would set to look at what the server says (normal lines are INFO).
  vim.lsp.set_log_level(os.getenv('AMPLIFY_LSP_NVIM_LOG') or 'info')
  local log_mark = H.log_mark()
  vim.opt.runtimepath:prepend(plugin_dir)
  if vim.fn.executable(bin) ~= 1 then
    out('not ok server binary -- ' .. bin .. ' is not executable (cargo build -p amplify-lsp, or set AMPLIFY_LSP_BIN)')
    counts.failed = counts.failed + 1
    return
  end

  local amplify = require('amplify_lsp')
  local cfg -- the 0.11 config table

  check('lsp/amplify_lsp.lua loads as a vim.lsp.config table', nil, function()
    cfg = dofile(plugin_dir .. '/lsp/amplify_lsp.lua')
    expect(type(cfg) == 'table', 'not a table')
    expect(type(cfg.cmd) == 'function', 'cmd should be a function (it picks the project-local server)')
    for _, ft in ipairs({ 'typescript', 'typescriptreact', 'javascript', 'javascriptreact' }) do
      expect(vim.tbl_contains(cfg.filetypes, ft), 'lsp/amplify_lsp.lua filetypes lack ' .. ft)
      expect(vim.tbl_contains(amplify.defaults.filetypes, ft), 'setup() default filetypes lack ' .. ft)
    end
    expect(type(cfg.root_dir) == 'function', 'root_dir should be a function(bufnr, on_dir)')
    expect(cfg.workspace_required == true, 'workspace_required should be true')
    expect(type(cfg.init_options) == 'table', 'init_options should be a table')
    expect(type(cfg.settings) == 'table' and type(cfg.settings.amplifyLsp) == 'table', 'settings.amplifyLsp missing')
  end)

  check('root detection: amplify/ files, frontend files below amplify/backend.ts, nothing else', nil, function()
    -- A scratch project with only amplify/data/resource.ts, and one with an empty amplify/.
    local tmp = vim.fn.tempname()
    vim.fn.mkdir(tmp .. '/withres/amplify/data', 'p')
    vim.fn.writefile({ 'export {}' }, tmp .. '/withres/amplify/data/resource.ts')
    vim.fn.mkdir(tmp .. '/empty/amplify/lib', 'p')
    vim.fn.writefile({ 'export {}' }, tmp .. '/empty/amplify/lib/util.ts')
    -- A dependency that ships an example backend is not a project.
    vim.fn.mkdir(tmp .. '/app/node_modules/tmpl/amplify', 'p')
    vim.fn.writefile({ 'export {}' }, tmp .. '/app/node_modules/tmpl/amplify/backend.ts')
    vim.fn.mkdir(tmp .. '/app/amplify', 'p')
    vim.fn.writefile({ 'export {}' }, tmp .. '/app/amplify/backend.ts')
    tmp = vim.loop.fs_realpath(tmp)
    local cases = {
      { fixture .. '/amplify/backend.ts', fixture },
      { fixture .. '/amplify/storage/resource.ts', fixture },
      { fixture .. '/amplify/functions/say-hello/handler.ts', fixture },
      -- frontend files: anywhere below the folder holding amplify/backend.ts (the filetypes decide
      -- which buffers are asked at all)
      { fixture .. '/src/main.ts', fixture },
      { fixture .. '/src/App.tsx', fixture },
      { fixture .. '/src/components/deep/Form.jsx', fixture },
      { fixture .. '/main.mjs', fixture },
      { tmp .. '/app/src/main.js', tmp .. '/app' },
      -- not under node_modules, not in a project whose amplify/ has no backend.ts
      { fixture .. '/node_modules/x/index.js', nil },
      { tmp .. '/app/node_modules/tmpl/src/a.js', nil },
      { tmp .. '/withres/amplify/data/resource.ts', tmp .. '/withres' },
      { tmp .. '/withres/src/App.tsx', nil },
      { tmp .. '/empty/amplify/lib/util.ts', nil },
      { tmp .. '/empty/src/index.ts', nil },
      { tmp .. '/elsewhere/index.ts', nil },
    }
    for _, case in ipairs(cases) do
      local file, want = case[1], case[2]
      local got = amplify.project_root(file)
      expect(got == want, 'plugin: ' .. file .. ' -> ' .. tostring(got) .. ', want ' .. tostring(want))
      -- The 0.11 config's root_dir(bufnr, on_dir) must agree.
      local buf = vim.fn.bufadd(file)
      local seen
      cfg.root_dir(buf, function(root)
        seen = root
      end)
      expect(seen == want, 'lsp/amplify_lsp.lua: ' .. file .. ' -> ' .. tostring(seen) .. ', want ' .. tostring(want))
    end
  end)

  amplify.setup({ cmd = { bin, '--stdio' }, init_options = { docsPlatform = 'react' } })

  local storage_buf, storage_client
  check('setup(): the server starts and attaches to amplify/storage/resource.ts', nil, function()
    storage_buf = open('amplify/storage/resource.ts')
    expect(vim.bo[storage_buf].filetype == 'typescript', 'filetype is ' .. vim.bo[storage_buf].filetype)
    storage_client = wait_client(storage_buf)
    expect(storage_client, 'no amplify_lsp client attached within ' .. timeout .. ' ms')
    local caps = storage_client.server_capabilities
    local sync = caps.textDocumentSync
    expect(type(sync) == 'table' and sync.change == 2, 'server does not offer incremental sync: ' .. vim.inspect(sync))
    expect(storage_client.config.root_dir == fixture, 'root_dir ' .. tostring(storage_client.config.root_dir))
  end)

  check('setup(): one client per project, src/main.ts of the project included', nil, function()
    expect(storage_client, 'no client from the previous check')
    local other = open('amplify/auth/resource.ts')
    local c = wait_client(other)
    expect(c and c.id == storage_client.id, 'a second amplify file did not reuse the client')
    local main = open('src/main.ts')
    expect(vim.bo[main].filetype == 'typescript', 'src/main.ts filetype ' .. vim.bo[main].filetype)
    c = wait_client(main)
    expect(c and c.id == storage_client.id, 'src/main.ts of the project did not get the project client')
    -- It names no aws-amplify package: the server keeps it, but not as frontend code.
    local doc, err = H.debug_document(main)
    expect(doc, 'amplify/debugDocument failed: ' .. tostring(err))
    expect(doc.frontend == false and doc.amplify == false, 'src/main.ts: ' .. vim.inspect({ frontend = doc.frontend, amplify = doc.amplify }))
  end)

  check('setup(): frontend files of an Amplify project (.tsx, .js), not node_modules nor other folders', nil, function()
    local root, plain = H.frontend_fixture('project-frontend')
    local first = true
    for _, case in ipairs({ { 'src/App.tsx', 'typescriptreact' }, { 'src/main.js', 'javascript' } }) do
      local buf = H.open(root .. '/' .. case[1])
      expect(vim.bo[buf].filetype == case[2], case[1] .. ' filetype ' .. vim.bo[buf].filetype)
      if first then
        -- What the negative checks below rely on: once H.settle() returns, a new client is there.
        H.settle()
        expect(#clients_of(buf, true) == 1, case[1] .. ': no client right after H.settle()')
        first = false
      end
      local c = wait_client(buf)
      expect(c, 'no amplify_lsp client on ' .. case[1] .. ' within ' .. timeout .. ' ms')
      expect(c.config.root_dir == root, case[1] .. ': root_dir ' .. tostring(c.config.root_dir) .. ', want ' .. root)
      local doc, err = H.debug_document(buf)
      expect(doc, case[1] .. ': amplify/debugDocument failed: ' .. tostring(err))
      expect(doc.frontend == true, case[1] .. ': the server says frontend = ' .. tostring(doc.frontend))
    end
    for _, file in ipairs({ root .. '/node_modules/x/index.js', plain .. '/src/index.ts' }) do
      local buf = H.open(file)
      H.settle()
      expect(#clients_of(buf, true) == 0, 'amplify_lsp attached to ' .. file)
    end
  end)

  check('diagnostics: storage/path-wildcard on the photos path, gone after typing /*', 'diagnostics', function()
    expect(storage_buf, 'storage buffer not open')
    vim.api.nvim_set_current_buf(storage_buf)
    local found
    vim.wait(timeout, function()
      found = has_code(our_diagnostics(storage_buf), 'storage/path-wildcard')
      return found ~= nil
    end, 50)
    expect(found, 'no storage/path-wildcard diagnostic; got ' .. vim.inspect(vim.diagnostic.get(storage_buf)))
    local line, col = find_line(storage_buf, "'photos':")
    expect(found.lnum == line, 'diagnostic on line ' .. found.lnum .. ', photos is on ' .. line)
    expect(found.severity == vim.diagnostic.severity.ERROR, 'severity ' .. tostring(found.severity))
    -- Insert '/*' before the closing quote: nvim sends an incremental didChange.
    local at = col + #"'photos"
    vim.api.nvim_buf_set_text(storage_buf, line, at, line, at, { '/*' })
    expect(vim.api.nvim_buf_get_lines(storage_buf, line, line + 1, false)[1]:find("'photos/*'", 1, true), 'edit failed')
    local gone = vim.wait(timeout, function()
      return has_code(our_diagnostics(storage_buf), 'storage/path-wildcard') == nil
    end, 50)
    expect(gone, 'storage/path-wildcard still reported after the fix')
  end)

  check('completion: defineFunction properties, also after typing a prefix', 'completion', function()
    local buf = open('amplify/functions/say-hello/resource.ts')
    local client = wait_client(buf)
    expect(client, 'no client on the function resource')
    expect(client.server_capabilities.completionProvider, 'the server does not advertise completionProvider')
    local start = find_line(buf, 'defineFunction({')
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    local blank
    for i = start + 2, #lines do
      if vim.trim(lines[i]) == '' then
        blank = i - 1
        break
      end
    end
    expect(blank, 'no blank line inside defineFunction({ })')
    local indent = #lines[blank + 1]
    local labels = completion_labels(buf, blank, indent)
    for _, want in ipairs({ 'timeoutSeconds', 'memoryMB' }) do
      expect(labels[want], want .. ' not offered; got ' .. vim.inspect(vim.tbl_keys(labels)))
    end
    expect(not labels.loginWith, 'loginWith (a defineAuth property) offered in defineFunction')
    vim.api.nvim_buf_set_text(buf, blank, indent, blank, indent, { 'time' })
    labels = completion_labels(buf, blank, indent + 4)
    expect(labels.timeoutSeconds, 'timeoutSeconds not offered after "time"; got ' .. vim.inspect(vim.tbl_keys(labels)))
  end)

  -- The 0.7 - 0.10 example configuration (editors/neovim/examples/init-0.7.lua), as a user has it,
  -- on a second copy of the project (a new root, so a new client with the example's on_attach).
  H.put_server_on_path()
  local project = H.scratch_fixture('project', 'project-example')
  dofile(plugin_dir .. '/examples/init-0.7.lua')

  check('example config: K on defineAuth opens the server hover (not a man page)', 'hover', function()
    local buf = H.open(project .. '/amplify/auth/resource.ts')
    expect(wait_client(buf), 'no client on auth/resource.ts with the example config')
    vim.wait(200)
    local k = vim.fn.maparg('K', 'n', false, true)
    expect(type(k) == 'table' and k.buffer == 1, 'K is not mapped for the buffer: ' .. vim.inspect(k))
    local l, c = find_line(buf, 'defineAuth({')
    vim.api.nvim_win_set_cursor(0, { l + 1, c + 2 })
    H.feed('K')
    local text
    vim.wait(timeout, function()
      for _, w in ipairs(H.floats()) do
        text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
        return true
      end
      return false
    end, 20)
    H.close_floats()
    expect(text, 'K opened no hover window')
    expect(text:find('defineAuth', 1, true), 'hover does not name defineAuth:\n' .. text)
  end)

  check('example config: "mem" then CTRL-X CTRL-O completes memoryMB', 'completion', function()
    local buf = H.open(project .. '/amplify/functions/say-hello/resource.ts')
    expect(wait_client(buf), 'no client on the function resource')
    vim.wait(200)
    expect(vim.bo[buf].omnifunc == 'v:lua.vim.lsp.omnifunc', 'omnifunc is ' .. vim.inspect(vim.bo[buf].omnifunc))
    local row = find_line(buf, 'defineFunction({') + 2
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { '  ' })
    vim.api.nvim_win_set_cursor(0, { row + 1, 2 })
    vim.keymap.set('i', '<Plug>(amplify-accept)', function()
      return vim.fn.pumvisible() == 1 and '<C-y>' or ''
    end, { expr = true, buffer = buf })
    H.feed('Amem<C-x><C-o><Cmd>lua __amplify_wait_menu()<CR><Plug>(amplify-accept)<Cmd>lua vim.wait(300)<CR><Esc>')
    local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { '  ' })
    local words = menu_words()
    out('# nvim ' .. vim.version().major .. '.' .. vim.version().minor .. ' CTRL-X CTRL-O after "mem": ' .. table.concat(words, ', ') .. '; line ' .. vim.inspect(line))
    expect(#words > 0, 'no completion items after "mem"')
    expect(words[1]:find('^memoryMB'), 'first item ' .. words[1] .. '; menu: ' .. table.concat(words, ', '))
    expect(line:find('^  memoryMB'), 'line after completing: ' .. vim.inspect(line))
  end)

  -- Inserts `lines` at the top of the example's schema, puts the cursor on the `line`-th of them at byte `col`,
  -- types `keys` then CTRL-X CTRL-O, takes the lines out again (so that the next check can :edit the file),
  -- and returns the words of the menu.
  local function omni_menu_in_schema(lines, line, col, keys)
    local buf = H.open(project .. '/amplify/data/resource.ts')
    expect(wait_client(buf), 'no client on data/resource.ts')
    vim.wait(200)
    local row = find_line(buf, 'const schema = a.schema({') + 1
    vim.api.nvim_buf_set_lines(buf, row, row, false, lines)
    vim.api.nvim_win_set_cursor(0, { row + line, col })
    H.feed(keys .. '<C-x><C-o><Cmd>lua __amplify_wait_menu()<CR><C-e><Esc>')
    vim.api.nvim_buf_set_lines(buf, row, row + #lines, false, {})
    vim.bo[buf].modified = false
    return menu_words()
  end

  check("example config: CTRL-X CTRL-O after index(' in a half-typed model lists that model's fields", 'completion', function()
    -- nothing closes the new model (no auto-pairs here), so the file does not parse while it is typed
    local typed = "  Draft: a.model({ heading: a.string(), summary: a.string() }).secondaryIndexes((index) => [index('"
    local words = omni_menu_in_schema({ typed }, 1, #typed - 1, 'A')
    out('# nvim ' .. vim.version().major .. '.' .. vim.version().minor .. " CTRL-X CTRL-O after index(': " .. table.concat(words, ', '))
    expect(table.concat(words, ',') == 'heading,summary', "after index(' the menu is: " .. table.concat(words, ', '))
  end)

  check("example config: CTRL-X CTRL-O after a.hasMany(' lists a model added in the same edit", 'completion', function()
    -- the server has analysed the file without Extra; the edit that adds it also opens the string, and the
    -- completion follows at once: the names of the version analysed before would miss Extra
    local holder = "  Holder: a.model({ extras: a.hasMany('') }),"
    -- on the closing quote: `i` inserts between the quotes
    local words = omni_menu_in_schema({ '  Extra: a.model({ n: a.string() }),', holder }, 2, #holder - #"') }),", 'i')
    out('# nvim ' .. vim.version().major .. '.' .. vim.version().minor .. " CTRL-X CTRL-O after a.hasMany(': " .. table.concat(words, ', '))
    expect(table.concat(words, ',') == 'Extra,Holder,Note', "after a.hasMany(' the menu is: " .. table.concat(words, ', '))
  end)

  check('example config: gra offers and applies "Switch to owner-based authorization (user pool)"', 'code-action', function()
    local buf = H.open(project .. '/amplify/data/resource.ts')
    expect(wait_client(buf), 'no client on data/resource.ts')
    vim.wait(200)
    local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
    local l, c = find_line(buf, 'allow.publicApiKey()')
    vim.api.nvim_win_set_cursor(0, { l + 1, c + 7 })
    local ok, err, offered, restore = H.apply_action('gra', 'owner-based authorization')
    local changed = vim.wait(timeout, function()
      return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') ~= before
    end, 20)
    restore()
    expect(ok, 'gra failed: ' .. tostring(err))
    expect(#offered > 0, 'gra offered no code action')
    expect(changed, 'the buffer did not change; offered: ' .. table.concat(offered, ' | '))
    local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
    expect(after:find('allow.owner()', 1, true), 'no allow.owner() after the action:\n' .. after)
  end)

  check("setup(): a plain `amplify-lsp` cmd starts the project's node_modules/.bin/amplify-lsp first", nil, function()
    local local_project = H.scratch_fixture('project', 'project-local-install')
    local script, starts = H.fake_local_install(local_project)
    local plain = H.scratch_fixture('project', 'project-no-install')
    amplify.setup({ cmd = { 'amplify-lsp', '--stdio' } }) -- amplify-lsp is on PATH too (put_server_on_path)
    expect(amplify.command(local_project)[1] == script, 'command: ' .. vim.inspect(amplify.command(local_project)))
    expect(amplify.command(plain)[1] == 'amplify-lsp', 'command without install: ' .. vim.inspect(amplify.command(plain)))
    local c = wait_client(H.open(local_project .. '/amplify/storage/resource.ts'))
    expect(c, 'no client in the project with node_modules/.bin/amplify-lsp')
    expect(c.config.cmd[1] == script, 'started ' .. vim.inspect(c.config.cmd))
    expect(vim.fn.readfile(starts)[1] == '--stdio', 'the project-local script did not run: ' .. vim.inspect(vim.fn.readfile(starts)))
    local c2 = wait_client(H.open(plain .. '/amplify/storage/resource.ts'))
    expect(c2 and c2.id ~= c.id, 'no separate client for the project without an install')
    expect(c2.config.cmd[1] == 'amplify-lsp', 'without an install, started ' .. vim.inspect(c2.config.cmd))
    -- project_local = false: the plain name is looked up on PATH even where the project has one.
    amplify.setup({ cmd = { 'amplify-lsp', '--stdio' }, project_local = false })
    expect(amplify.command(local_project)[1] == 'amplify-lsp', 'project_local = false ignored')
    -- An absolute path is used as given.
    amplify.setup({ cmd = { bin, '--stdio' } })
    expect(amplify.command(local_project)[1] == bin, 'an absolute cmd was replaced')
  end)

  check('lsp.log: no server line logged as [ERROR]', nil, function()
    vim.wait(300)
    local errors = {}
    for _, line in ipairs(H.log_since(log_mark)) do
      if line:find('^%[ERROR%]') then
        table.insert(errors, line)
      end
    end
    expect(#errors == 0, #errors .. ' [ERROR] lines in ' .. vim.lsp.get_log_path() .. ':\n' .. table.concat(errors, '\n', 1, math.min(#errors, 5)))
  end)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  out('not ok test script -- ' .. tostring(err):gsub('\n', '\n    '))
  counts.failed = counts.failed + 1
end
H.finish()
