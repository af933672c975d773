-- A code-mode host driven from Neovim's built-in JSON-RPC client (vim.lsp.rpc, Neovim 0.7+).
-- Run: CODEMODE_HOST='["codemode-host"]' CODEMODE_RESULT=out.json nvim --headless --clean -c 'luafile neovim.lua'
-- It runs a cell that calls a tool (answered here), cancels a request, shuts the host down and
-- writes what it saw to $CODEMODE_RESULT as JSON.
local command = vim.json.decode(os.getenv('CODEMODE_HOST'))
local result_file = os.getenv('CODEMODE_RESULT')
local seen = { closed = {} }
local finished = false

-- Host-to-client requests are answered synchronously from here; delegate/invokeTool runs a tool.
local function server_request(method, params)
  if method == 'delegate/invokeTool' and params.tool.name == 'add' then
    seen.toolInput = params.input
    return { result = params.input.a + params.input.b }
  end
  return nil, vim.lsp.rpc.rpc_response_error(vim.lsp.protocol.ErrorCodes.MethodNotFound)
end

local rpc = vim.lsp.rpc.start(command[1], vim.list_slice(command, 2), {
  server_request = server_request,
  notification = function(method, params)
    if method == 'cell/closed' then table.insert(seen.closed, params.cellId) end
  end,
  on_exit = function(code)
    seen.exitCode = code
    finished = true
  end,
})

-- Each step runs when the previous response arrives (vim.lsp.rpc is callback-based).
local function fail(step, err)
  seen.error = step .. ': ' .. tostring(err)
  finished = true
end

local function shutdown()
  rpc.request('shutdown', nil, function(err)
    if err then return fail('shutdown', err) end
    rpc.notify('exit', nil)
  end)
end

-- Neovim answers RequestCancelled (-32800) itself: it drops the request's callback and only runs
-- notify_reply_callback. rpc.lua reports the answer to its debug log, so tap that to see the code.
local log = require('vim.lsp.log')
log.debug = function(label, message)
  if label == 'Received cancellation ack' then
    seen.cancelled = { code = message.error.code, cellId = message.error.data.cellId }
  end
  return true -- "debug logging is on", so rpc.lua passes its messages here (and nothing is written)
end

local function cancel_a_cell()
  local params = { sessionId = 'nvim', source = 'await new Promise(() => {})', yieldTimeMs = 60000 }
  local _, id = rpc.request('cell/execute', params, function(err)
    -- Only reached if the host did not answer -32800.
    seen.cancelled = err and { code = err.code } or 'not cancelled'
    shutdown()
  end, function() if seen.cancelled ~= nil then shutdown() end end)
  -- Give the cell time to start, then cancel the execute.
  vim.defer_fn(function() rpc.notify('$/cancelRequest', { id = id }) end, 200)
end

local function run_tool_cell()
  local params = { sessionId = 'nvim', source = 'const r = await tools.add({a: 2, b: 3}); text(r * 7)', tools = { { name = 'add' } } }
  rpc.request('cell/execute', params, function(err, response)
    if err then return fail('cell/execute', err) end
    seen.execute = { status = response.status, text = response.items[1].text }
    cancel_a_cell()
  end)
end

rpc.request('initialize', { protocolVersion = 1, clientInfo = { name = 'neovim' } }, function(err, response)
  if err then return fail('initialize', err) end
  seen.protocolVersion = response.protocolVersion
  rpc.notify('initialized', vim.empty_dict())
  rpc.request('session/open', { sessionId = 'nvim' }, function(open_err)
    if open_err then return fail('session/open', open_err) end
    run_tool_cell()
  end)
end)

vim.wait(20000, function() return finished end, 20)
local file = io.open(result_file, 'w')
file:write(vim.json.encode(seen))
file:close()
vim.cmd(finished and 'qall!' or 'cquit! 3')
