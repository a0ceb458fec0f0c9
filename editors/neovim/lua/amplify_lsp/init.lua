-- amplify-lsp for Neovim 0.7 - 0.10 (works on 0.11+ too, but there lsp/amplify_lsp.lua with
-- vim.lsp.enable is the better fit).
--
--     require('amplify_lsp').setup({
--       cmd = { 'amplify-lsp', '--stdio' },            -- or an absolute path
--       init_options = { docsPlatform = 'react' },      -- optional
--       on_attach = function(client, bufnr) end,        -- optional
--     })
--
-- With the plain name `amplify-lsp` as cmd[1] (the default), the project's own server comes first:
-- <root>/node_modules/.bin/amplify-lsp, installed by `npm install --save-dev amplify-lsp`, so the
-- version pinned in package.json is the one that runs; else `amplify-lsp` from PATH. An absolute
-- path in cmd, or `project_local = false`, turns that off.
--
-- On every TypeScript, TSX, JavaScript or JSX buffer of an Amplify project the server is started
-- (one per project) with vim.lsp.start (0.8+), or with vim.lsp.start_client +
-- vim.lsp.buf_attach_client on 0.7: backend files inside its `amplify/` folder, and frontend files
-- anywhere below the folder holding `amplify/backend.ts` except under `node_modules/`. Buffers of
-- other folders never get the server.

local M = {}

local uv = vim.uv or vim.loop

M.defaults = {
  name = 'amplify_lsp',
  cmd = { 'amplify-lsp', '--stdio' },
  project_local = true,
  -- .ts .mts .cts, .tsx, .js .mjs .cjs, .jsx (Neovim 0.7 to 0.9 give .mts and .cts no filetype).
  filetypes = { 'typescript', 'typescriptreact', 'javascript', 'javascriptreact' },
  init_options = {},
  settings = { amplifyLsp = {} },
}

local function is_file(p)
  local st = uv.fs_stat(p)
  return st ~= nil and st.type == 'file'
end

local function is_dir(p)
  local st = uv.fs_stat(p)
  return st ~= nil and st.type == 'directory'
end

local function has_resource(dir, depth)
  if is_file(dir .. '/resource.ts') then
    return true
  end
  if depth == 0 then
    return false
  end
  local handle = uv.fs_scandir(dir)
  while handle do
    local name, kind = uv.fs_scandir_next(handle)
    if not name then
      break
    end
    if kind == 'directory' and name ~= 'node_modules' and has_resource(dir .. '/' .. name, depth - 1) then
      return true
    end
  end
  return false
end

--- True if `dir/amplify` holds `backend.ts` or a `<x>/resource.ts` / `<x>/<y>/resource.ts`.
function M.is_amplify_project(dir)
  local amp = dir .. '/amplify'
  if not is_dir(amp) then
    return false
  end
  if is_file(amp .. '/backend.ts') then
    return true
  end
  local handle = uv.fs_scandir(amp)
  while handle do
    local name, kind = uv.fs_scandir_next(handle)
    if not name then
      break
    end
    if kind == 'directory' and has_resource(amp .. '/' .. name, 1) then
      return true
    end
  end
  return false
end

--- The project root (the folder holding `amplify/`) for a file inside the `amplify/` folder of an
--- Amplify project, else nil.
function M.backend_root(fname)
  if fname == nil or fname == '' then
    return nil
  end
  fname = fname:gsub('\\', '/')
  local dir = fname:match('^(.*)/[^/]*$')
  while dir and dir ~= '' do
    local parent, base = dir:match('^(.*)/([^/]+)$')
    if base == 'amplify' then
      local root = (parent == '' and '/' or parent)
      if M.is_amplify_project(root) then
        return root
      end
    end
    dir = parent
  end
  return nil
end

--- The nearest folder above a file that holds `amplify/backend.ts`, or nil; always nil for a file
--- under `node_modules/` (a dependency is not the project's frontend code).
function M.frontend_root(fname)
  if fname == nil or fname == '' then
    return nil
  end
  fname = fname:gsub('\\', '/')
  if ('/' .. fname .. '/'):find('/node_modules/', 1, true) then
    return nil
  end
  local dir = fname:match('^(.*)/[^/]*$')
  while dir do
    if is_file(dir .. '/amplify/backend.ts') then
      return dir == '' and '/' or dir
    end
    if dir == '' then
      break
    end
    dir = dir:match('^(.*)/[^/]*$')
  end
  return nil
end

--- The project root for a file: a backend file's project (inside `amplify/`), else a frontend
--- file's (below `amplify/backend.ts`'s folder, not in node_modules); nil outside any project.
function M.project_root(fname)
  return M.backend_root(fname) or M.frontend_root(fname)
end

local config = vim.deepcopy(M.defaults)

--- The project's `node_modules/.bin/amplify-lsp` if it is executable, else nil. On Windows npm
--- writes `amplify-lsp.cmd` there, which executable() and exepath() find.
function M.project_server(root)
  local bin = root .. '/node_modules/.bin/amplify-lsp'
  if vim.fn.executable(bin) == 1 then
    return vim.fn.exepath(bin)
  end
  return nil
end

--- The command to start for a project: `cmd`, with the project's own server in place of a plain
--- `amplify-lsp` when there is one.
function M.command(root, opts)
  opts = opts or config
  local cmd = vim.deepcopy(opts.cmd)
  if opts.project_local ~= false and cmd[1] == 'amplify-lsp' then
    cmd[1] = M.project_server(root) or cmd[1]
  end
  return cmd
end

-- Neovim 0.7: our own root -> client id map (vim.lsp.start does this itself on 0.8+).
local legacy_clients = {}
local warned = false

local function notify(msg, level)
  vim.schedule(function()
    vim.notify('amplify-lsp: ' .. msg, level or vim.log.levels.WARN)
  end)
end

--- Starts (or reuses) the client for this buffer's project and attaches it. Returns the client id,
--- or nil when the buffer belongs to no Amplify project.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local root = M.project_root(vim.api.nvim_buf_get_name(bufnr))
  if not root then
    return nil
  end
  local cmd = M.command(root)
  if vim.fn.executable(cmd[1]) ~= 1 then
    if not warned then
      warned = true
      notify(
        cmd[1]
          .. ' is not executable. Install it in the project (npm install --save-dev amplify-lsp), or with cargo'
          .. ' (cargo install --locked --path server, in the amplify-lsp repository),'
          .. " or pass cmd = { '/path/to/amplify-lsp', '--stdio' } to require('amplify_lsp').setup()."
      )
    end
    return nil
  end

  local client_config = {
    name = config.name,
    cmd = cmd,
    cmd_env = config.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = config.init_options,
    settings = config.settings,
    capabilities = config.capabilities,
    on_attach = config.on_attach,
    on_init = config.on_init,
    handlers = config.handlers,
    flags = config.flags,
  }

  if vim.lsp.start then -- 0.8+
    return vim.lsp.start(client_config, { bufnr = bufnr })
  end

  -- 0.7
  local id = legacy_clients[root]
  local existing = id and vim.lsp.get_client_by_id(id)
  if not existing or existing.is_stopped() then
    local user_on_init = client_config.on_init
    client_config.on_init = function(client, result)
      -- 0.7 does not send the settings by itself.
      if next(client_config.settings or {}) then
        client.notify('workspace/didChangeConfiguration', { settings = client_config.settings })
      end
      if user_on_init then
        return user_on_init(client, result)
      end
    end
    id = vim.lsp.start_client(client_config)
    legacy_clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Configure and enable. Options: cmd, project_local, cmd_env, filetypes, init_options, settings, capabilities,
--- on_attach, on_init, handlers, flags. Calling it again replaces the previous configuration.
function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  if opts and opts.cmd then
    config.cmd = opts.cmd -- lists are replaced, not merged
  end
  if opts and opts.filetypes then
    config.filetypes = opts.filetypes
  end
  warned = false
  local group = vim.api.nvim_create_augroup('amplify_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = 'amplify-lsp: attach to the files of Amplify projects',
  })
  -- Buffers that were already open when setup() ran.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(config.filetypes, vim.bo[buf].filetype) then
      M.attach(buf)
    end
  end
end

return M
