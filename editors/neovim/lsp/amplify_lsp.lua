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
-- The server attaches to TypeScript, TSX, JavaScript and JSX buffers of an Amplify project, and to
-- nothing else:
--   * backend files: inside the `amplify/` folder of a project, a folder whose `amplify/` holds
--     `backend.ts` or a `<resource>/resource.ts`;
--   * frontend files: anywhere below a folder that holds `amplify/backend.ts`, except under
--     `node_modules/` (the server reads those that import an `aws-amplify` package).
-- That folder (the parent of `amplify/`) becomes the root. The file only uses APIs that exist
-- since Neovim 0.7, so it can also be loaded (for its fields) by older versions.

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

--- The project root for a file inside the `amplify/` folder of an Amplify project, else nil.
local function backend_root(fname)
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

--- The nearest folder above a file that holds `amplify/backend.ts`, or nil; always nil for a file
--- under `node_modules/` (a dependency is not the project's frontend code).
local function frontend_root(fname)
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

--- The project root for a file path: a backend file's project, else a frontend file's; nil when
--- the file belongs to no Amplify project.
local function project_root(fname)
  if fname == nil or fname == '' then
    return nil
  end
  fname = fname:gsub('\\', '/')
  return backend_root(fname) or frontend_root(fname)
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
  -- .ts .mts .cts, .tsx, .js .mjs .cjs, .jsx (Neovim 0.7 to 0.9 give .mts and .cts no filetype).
  filetypes = { 'typescript', 'typescriptreact', 'javascript', 'javascriptreact' },
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
