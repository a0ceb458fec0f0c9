-- Neovim 0.7 to 0.10 (init.lua), with editors/neovim on 'runtimepath'. Tested in CI with
-- Neovim 0.7.2 (editors/neovim/test/run.lua). Before 0.10 Neovim maps no LSP keys: K opens a man
-- page and CTRL-X CTRL-O does nothing until you set them for the buffer, as here.
require('amplify_lsp').setup({
  cmd = { 'amplify-lsp', '--stdio' },        -- or an absolute path
  init_options = { docsPlatform = 'react' },  -- optional: docsPlatform, logLevel, syntaxErrors, maxFileSize
  on_attach = function(client, bufnr)
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc' -- CTRL-X CTRL-O completion
    local opts = { buffer = bufnr, silent = true }
    vim.keymap.set('n', 'K', vim.lsp.buf.hover, opts)
    vim.keymap.set('n', 'gra', vim.lsp.buf.code_action, opts)  -- the 0.11 default key
    vim.keymap.set('n', 'gl', vim.diagnostic.open_float, opts) -- the message under the cursor
  end,
})
