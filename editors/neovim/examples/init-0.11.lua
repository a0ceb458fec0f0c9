-- Neovim 0.11+ (init.lua), with editors/neovim on 'runtimepath' or lsp/amplify_lsp.lua copied to
-- ~/.config/nvim/lsp/. Tested in CI with Neovim 0.11.4 (editors/neovim/test/enable.lua).
vim.lsp.enable('amplify_lsp')

-- Optional overrides, merged into lsp/amplify_lsp.lua's defaults:
-- vim.lsp.config('amplify_lsp', {
--   cmd = { vim.fn.expand('~/.cargo/bin/amplify-lsp'), '--stdio' },
--   init_options = { docsPlatform = 'vue' },
-- })

-- 0.11 shows diagnostics as signs and underlines only; this adds the message at the end of the line.
vim.diagnostic.config({ virtual_text = true })

-- Built in from 0.11 once a server attaches: K hover, gra code action, grn rename, CTRL-X CTRL-O
-- completion. Accept an item with CTRL-Y: that applies the server's edit (`memoryMB: `). `menuone`
-- shows the menu for a single match too (otherwise it is inserted as a bare name at once).
vim.opt.completeopt = { 'menu', 'menuone', 'popup' }
-- Also open the completion menu on the server's trigger characters:
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == 'amplify_lsp' then
      vim.lsp.completion.enable(true, client.id, args.buf, { autotrigger = true })
    end
  end,
})
