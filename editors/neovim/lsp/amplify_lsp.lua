-- amplify-lsp for Neovim 0.11+: put this file's folder on 'runtimepath' (or copy it to
-- ~/.config/nvim/lsp/amplify_lsp.lua) and call
--
--     vim.lsp.enable('amplify_lsp')
--
-- Override fields with vim.lsp.config('amplify_lsp', { ... }), e.g. `cmd` or `init_options`.
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

return {
  cmd = { 'amplify-lsp', '--stdio' },
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
