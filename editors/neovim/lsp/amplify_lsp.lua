-- amplify-lsp for Neovim 0.11+: put this file's folder on 'runtimepath' (or copy it to
-- ~/.config/nvim/lsp/amplify_lsp.lua) and call
--
--     vim.lsp.enable('amplify_lsp')
--
-- Override fields with vim.lsp.config('amplify_lsp', { ... }), e.g. `cmd` or `init_options`.
--
-- The server is the project's own when it has one (`npm install --save-dev amplify-lsp` puts it in
-- <root>/node_modules/.bin/), so that the version pinned in package.json is the one that runs; else
-- `amplify-lsp` from PATH. Like any project-local tool, that runs a program from the project you
-- open: to always use one binary, set `cmd = { '/path/to/amplify-lsp', '--stdio' }`.
--
-- The server attaches only to TypeScript files inside the `amplify/` folder of an Amplify project:
-- a folder whose `amplify/` holds `backend.ts` or a `<resource>/resource.ts`. That folder (the
-- parent of `amplify/`) becomes the root. The file only uses APIs that exist since Neovim 0.7, so
-- it can also be loaded (for its fields) by older versions.

local uv = vim.uv or vim.loop

local function is_file(p)
  local st = uv.fs_stat(p)
  return st ~= nil and st.type == 'file'
end

local function is_dir(p)
  local st = uv.fs_stat(p)
  return st ~= nil and st.type == 'directory'
end

--- True if `dir/amplify` looks like an Amplify Gen 2 backend.
local function is_amplify_project(dir)
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
    if kind == 'directory' then
      if is_file(amp .. '/' .. name .. '/resource.ts') then
        return true
      end
      -- functions/<name>/resource.ts and the like
      local sub = uv.fs_scandir(amp .. '/' .. name)
      while sub do
        local n2, k2 = uv.fs_scandir_next(sub)
        if not n2 then
          break
        end
        if k2 == 'directory' and is_file(amp .. '/' .. name .. '/' .. n2 .. '/resource.ts') then
          return true
        end
      end
    end
  end
  return false
end

--- The project root for a file path, or nil when the file is not under an Amplify `amplify/` folder.
local function project_root(fname)
  if fname == nil or fname == '' then
    return nil
  end
  fname = fname:gsub('\\', '/')
  local dir = fname:match('^(.*)/[^/]*$')
  while dir and dir ~= '' do
    local parent, base = dir:match('^(.*)/([^/]+)$')
    if base == 'amplify' then
      local root = (parent == '' and '/' or parent)
      if is_amplify_project(root) then
        return root
      end
    end
    dir = parent
  end
  return nil
end

--- The project's `node_modules/.bin/amplify-lsp` when it is executable, else `amplify-lsp` (PATH).
--- On Windows npm writes `amplify-lsp.cmd` there, which executable() and exepath() find.
local function server_executable(root)
  if root then
    local bin = root .. '/node_modules/.bin/amplify-lsp'
    if vim.fn.executable(bin) == 1 then
      return vim.fn.exepath(bin)
    end
  end
  return 'amplify-lsp'
end

return {
  -- A function so that the executable is chosen per project root (Neovim 0.11 passes the client's
  -- config, root_dir included).
  cmd = function(dispatchers, config)
    config = config or {}
    return vim.lsp.rpc.start({ server_executable(config.root_dir), '--stdio' }, dispatchers, {
      cwd = config.cmd_cwd,
      env = config.cmd_env,
      detached = config.detached,
    })
  end,
  filetypes = { 'typescript' },
  -- Neovim 0.11 calls root_dir(bufnr, on_dir); not calling on_dir means "do not attach".
  root_dir = function(bufnr, on_dir)
    local root = project_root(vim.api.nvim_buf_get_name(bufnr))
    if root then
      on_dir(root)
    end
  end,
  workspace_required = true,
  -- Sent in `initialize`; all keys are optional (docsPlatform, logLevel, syntaxErrors, maxFileSize).
  init_options = {},
  -- Answered to workspace/configuration and sent with workspace/didChangeConfiguration.
  settings = { amplifyLsp = {} },
}
